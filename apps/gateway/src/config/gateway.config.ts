/**
 * Moved to gateway.settings.ts (settings files are `<module>.settings.ts`). This re-export keeps the
 * imports of the feature modules that were being restructured in parallel working; the lead removes
 * it after the merge, once every import names ./gateway.settings.
 */
export * from './gateway.settings';
