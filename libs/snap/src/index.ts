export * from './minify';
export * from './keys';
export * from './signature';
export * from './time';
export * from './ids';
export * from './money';
export * from './response-code';
export * from './wire';
