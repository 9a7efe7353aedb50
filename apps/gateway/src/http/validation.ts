import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { buildMessage, isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';
import { HttpErrorCode } from './http-error-codes';

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
    exceptionFactory: (errors) => new BadRequestException({ code: HttpErrorCode.VALIDATION_FAILED, message: flattenValidationErrors(errors) }),
  });
}

const ISO_CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-02-28" -> true; "2026-02-30", "2026-13-45" -> false (a real day of the Gregorian calendar, years 1900-9999). */
export function isCalendarDate(value: unknown): boolean {
  const m = typeof value === 'string' ? ISO_CALENDAR_DATE.exec(value) : null;
  if (!m) {
    return false;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar day written YYYY-MM-DD that exists (no 2026-02-30). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: { validate: isCalendarDate, defaultMessage: buildMessage((each) => `${each}$property must be a calendar date written YYYY-MM-DD`, options) },
    },
    options,
  );
}

/**
 * Strict ISO-8601 date-time that is also a real instant JavaScript and Postgres agree on: the
 * validator alone accepts week dates ("2026-W01") that Date cannot read, and years Postgres refuses.
 */
export function isIsoDateTime(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 40 || !isISO8601(value, { strict: true, strictSeparator: false })) {
    return false;
  }
  const at = Date.parse(value);
  if (!Number.isFinite(at)) {
    return false;
  }
  const year = new Date(at).getUTCFullYear();
  return year >= 1900 && year <= 9999;
}

export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateTime',
      validator: {
        validate: isIsoDateTime,
        defaultMessage: buildMessage((each) => `${each}$property must be an ISO-8601 date-time such as 2026-11-01T00:00:00+07:00`, options),
      },
    },
    options,
  );
}
