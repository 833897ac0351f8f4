// `pnpm bench`: runs every packages/*/bench/*.bench.ts one after another (never in parallel, so
// figures are not disturbed by each other) and lets each print its side-by-side table.
// Pass a substring to run only matching files: `pnpm bench lambda`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);
const files = readdirSync(join(root, 'packages'))
  .map((pkg) => join(root, 'packages', pkg, 'bench'))
  .filter((dir) => existsSync(dir))
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => join(dir, f)),
  )
  .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
  .sort();

// Measure what users run: the compiled packages (dist), not TypeScript sources through tsx, whose
// keep-names transform alone adds ~15% to a cached decision. Bench files themselves run via tsx.
const build = spawnSync('pnpm', ['-r', 'run', 'build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) {
  console.error('build failed');
  process.exit(1);
}

console.log(`certbound benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
let failed = 0;
for (const file of files) {
  console.log(`## ${file.slice(root.length)}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_NO_WARNINGS: '1', NODE_ENV: 'production' },
  });
  if (result.status !== 0) failed++;
  console.log('');
}
process.exit(failed === 0 ? 0 : 1);
