import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The gateway's one error shape (http/http-exception.filter.ts), for Swagger. */
export class ApiErrorView {
  @ApiProperty({ example: 409 })
  statusCode: number;

  @ApiProperty({ example: 'CONFLICT' })
  error: string;

  @ApiProperty({ example: 'WITHDRAWAL_IN_FLIGHT' })
  code: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'Withdrawal 3b0d2a52-… is still PROCESSING; only one withdrawal may be in flight at a time.',
  })
  message: string | string[];

  @ApiPropertyOptional({ example: 'b7c1a0f6-1d7e-4c43-9a0e-3f1f2f6b8f11' })
  requestId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;
}

/** An error response example for @Api…Response({ type: ApiErrorView, example }). */
export function errorExample(statusCode: number, error: string, code: string, message: string | string[], details?: Record<string, unknown>) {
  return {
    type: ApiErrorView,
    example: { statusCode, error, code, message, requestId: 'b7c1a0f6-1d7e-4c43-9a0e-3f1f2f6b8f11', ...(details ? { details } : {}) },
  };
}
