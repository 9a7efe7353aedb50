import { type ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';

/**
 * `@ApiProperty` options for a property that is either a model or null. OpenAPI 3.0's `nullable`
 * does not reach into a `$ref` (an example with `null` then fails validation), so the null case is
 * its own branch: the form the OpenAPI 3.0.3 text recommends. Register the model with
 * @ApiExtraModels on the owning class.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function nullableModel(model: Function, description?: string): ApiPropertyOptions {
  return {
    oneOf: [{ $ref: getSchemaPath(model) }, { type: 'object', nullable: true, enum: [null] }],
    ...(description ? { description } : {}),
  };
}
