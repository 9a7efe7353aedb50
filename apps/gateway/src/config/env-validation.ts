import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export type RawEnv = Record<string, string | undefined>;

export class ConfigurationError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Values of these settings are never echoed in an error message. */
const SENSITIVE = /SECRET|PRIVATE_KEY|TOKEN|API_KEYS|PASSWORD|DATABASE_URL/;

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) => {
      const shown = SENSITIVE.test(e.property) || e.value === undefined ? '' : ` (got "${String(e.value)}")`;
      return `${e.property}: ${message}${shown}`;
    }),
  );
}

/**
 * Validate a set of environment variables against a class-validator class: one place that turns
 * strings into typed values and fails at boot naming the bad variable. Feature modules call this
 * with their own class so their settings stay in their folder.
 */
export function validateEnv<T extends object>(cls: new () => T, env: RawEnv): T {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') {
      cleaned[key] = value;
    }
  }
  const instance = plainToInstance(cls, cleaned, { enableImplicitConversion: false, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigurationError(describe(errors));
  }
  return instance;
}

/** Comma-separated list -> trimmed non-empty items. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** class-transformer @Transform for whole-number settings: "20" -> 20; anything else is left for @IsInt to refuse. */
export const intFromEnv = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** class-transformer @Transform for boolean settings: true/1 and false/0. */
export const boolFromEnv = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
