import { join } from 'node:path';
import * as ts from 'typescript';

/**
 * "A numeric field is impossible" is a compile-time promise, so it is tested with the compiler:
 * test/type-checks.ts holds code that must NOT compile (`@ts-expect-error` lines). Any unused
 * directive (i.e. a number that became acceptable) or any other error fails this spec.
 */
describe('request types (compile time)', () => {
  it('make numeric wire fields and number amounts impossible', () => {
    const root = join(__dirname, '..', '..', '..');
    const configPath = join(root, 'tsconfig.json');
    const config = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(
      { ...config.config, compilerOptions: { ...config.config.compilerOptions, ignoreDeprecations: '6.0' } },
      ts.sys,
      root,
    );
    const program = ts.createProgram([join(__dirname, '..', 'test', 'type-checks.ts')], { ...parsed.options, noEmit: true });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => !d.file || d.file.fileName.includes('libs/netzme-client') || d.file.fileName.includes('libs/snap'))
      .map((d) => `${d.file?.fileName ?? ''}:${d.start ?? ''} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  }, 60_000);
});
