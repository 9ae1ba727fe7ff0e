import { runCli } from './program.js';

// `mobile-sessions list … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  untilInterrupted: () =>
    new Promise((resolve) => {
      // A signal listener does not keep Node running: when the watched folder goes away its
      // watchers close, and with nothing else pending Node would end `watch` (exit 13).
      const keepAlive = setInterval(() => {}, 1 << 30);
      const done = () => {
        clearInterval(keepAlive);
        resolve();
      };
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    }),
});
// Not process.exit(): let stdout drain when it is a pipe.
process.exitCode = exitCode;
