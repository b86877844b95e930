#!/usr/bin/env node
// `zoning` (the package's bin): registers tsx so the TypeScript CLI runs with no build step.
// Exit codes 0–2 carry the verdict, so nothing may fail with Node's default code 1: every
// unexpected failure (loading the CLI included) exits 4.
import { register } from 'tsx/esm/api';

const fail = (e) => {
  process.stderr.write(`zoning: 内部错误：${e?.stack ?? e}\n`);
  process.exit(4);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

register();
let run;
try {
  ({ run } = await import('../cli/main.ts'));
} catch (e) {
  fail(e);
}
process.exitCode = await run(process.argv.slice(2));
