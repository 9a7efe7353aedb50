import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** Flatten nested class-validator errors into "field.sub: message" strings a person can act on. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      // whitelist errors read "property x should not exist": name the full path instead.
      message.startsWith(`property ${error.property} `) ? `${path} is not an accepted field` : message.replace(error.property, path),
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

/** Global pipe: unknown fields refused, payloads transformed into DTO instances, clear 400s. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new BadRequestException({ code: 'VALIDATION_FAILED', message: flattenValidationErrors(errors) }),
  });
}
