import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './case-result.js';
import { curlExamples } from './curl-commands.js';
import { startDemoEnvironment } from './demo-environment.js';
import { DEMO_FILES, writeDemoFiles } from './demo-files.js';
import { demoCases } from './mode-table.js';
import { renderTable } from './result-table.js';
import { runCase } from './run-cases.js';
import { createTerminal, type Terminal } from './terminal.js';

export interface DemoOptions {
  readonly terminal?: Terminal;
  /** Where certificates, keys, tokens and env.sh go. Default: CERTBOUND_DEMO_DIR, else `.certbound-demo/` in the repository root. */
  readonly directory?: string;
  /** Resolves when the user wants to stop (default: SIGINT or SIGTERM). */
  readonly stopSignal?: () => Promise<void>;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function untilSignalled(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Start the services, walk the mode table against them and print one row per case. Then, on a
 * terminal, keep them running for curl until Ctrl-C; under CI or when piped, stop. Resolves to
 * the exit code: 0 only if every row matched the documented expectation.
 */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const terminal = options.terminal ?? createTerminal();
  const directory = resolve(
    options.directory ?? process.env.CERTBOUND_DEMO_DIR ?? `${REPOSITORY_ROOT}.certbound-demo`,
  );
  const t = terminal.paint.bind(terminal);
  terminal.line(
    t('bold', 'certbound demo: certificate-bound access tokens (RFC 8705), enforced live on 127.0.0.1'),
  );
  const started = Date.now();
  const environment = await startDemoEnvironment((step) => terminal.progress(`… ${step}`));
  try {
    terminal.line(
      `authorization server ${environment.urls.authorizationServer} issued a bound and an unbound token to ${environment.pki.own.subjectCommonName}`,
    );
    const cases = demoCases();
    const results: CaseResult[] = [];
    for (const [index, demoCase] of cases.entries()) {
      terminal.progress(
        `[${index + 1}/${cases.length}] ${demoCase.via} ${demoCase.mode}: ${demoCase.token} token, ${demoCase.certificate} certificate`,
      );
      results.push(
        await runCase(
          demoCase,
          {
            ...environment,
            caPem: environment.pki.ca.certificate.pem,
            urls: { 'node-https': environment.urls.node, 'envoy-grpc': environment.urls.envoy },
            certificates: { own: environment.pki.own, other: environment.pki.other, none: undefined },
          },
          index,
        ),
      );
    }
    terminal.line();
    for (const line of renderTable(results, terminal)) terminal.line(line);
    const matched = results.filter((result) => result.matched).length;
    const allMatched = matched === results.length;
    terminal.line();
    terminal.line(
      terminal.paint(
        allMatched ? 'green' : 'red',
        `${matched} of ${results.length} cases as documented in docs/concepts.md (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      ),
    );

    await writeDemoFiles(
      directory,
      environment.pki,
      environment.tokens,
      environment.policyDocuments,
      environment.urls,
    );
    if (!terminal.interactive) return allMatched ? 0 : 1;

    terminal.line();
    terminal.line(t('bold', `The services keep running. Certificates, keys and tokens are in ${directory}`));
    terminal.line(`(tokens expire in an hour; . ${directory}/${DEMO_FILES.env} sets the URLs as variables)`);
    for (const example of curlExamples(directory, environment.urls)) {
      terminal.line();
      terminal.line(t('dim', `# ${example.title}`));
      terminal.line(example.command);
    }
    terminal.line();
    terminal.line(t('cyan', 'Ready. Press Ctrl-C to stop.'));
    await (options.stopSignal ?? untilSignalled)();
    terminal.line('stopping');
    return allMatched ? 0 : 1;
  } finally {
    await environment.close();
  }
}
