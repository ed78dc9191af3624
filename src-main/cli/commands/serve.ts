import type { Command } from '../command';
import { commonOptions } from '../command';
import { createContext } from '../../services/context';
import { createServices } from '../../services';
import { startServer } from '../../server/httpServer';
import { isLoopbackHost } from '../../server/loopback';
import { rendererDir } from '../../services/paths';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the review UI and API on a loopback port, protected by a per-launch token',
  usage: 'pulmo serve [--data DIR] [--host 127.0.0.1] [--port N] [--sample]',
  options: { ...commonOptions, host: { type: 'string' }, port: { type: 'string' }, sample: { type: 'boolean' } },
  async run({ values }, io) {
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    if (!isLoopbackHost(host)) {
      io.err(`pulmo serve: refusing --host ${host}: the review server binds loopback addresses only (127.0.0.1 or ::1), so patient data never leaves this machine.`);
      return 2;
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`pulmo serve: --port must be an integer 0-65535, got ${values.port}`);
      return 2;
    }
    const ctx = createContext({ dataDir: values.data as string | undefined });
    const services = createServices(ctx);
    const server = await startServer({ services, staticDir: rendererDir(), host, port });
    await services.startNetwork();
    const net = services.listener.status();
    if (net.running) io.err(`DICOM listener ${net.address} (calling AE titles: configured nodes allowed to store${net.settings.allowedCallers.length ? `, ${net.settings.allowedCallers.join(', ')}` : ''})`);
    else if (net.error) io.err(`pulmo serve: ${net.error}`);
    if (values.sample) {
      const r = await services.handlers['sample.open']({});
      io.err(`sample case: ${r.seriesInstanceUID}${r.jobId ? ` (importing, job ${r.jobId})` : ' (already imported)'}`);
    }
    io.out(server.url);
    io.err(`Pulmo ${ctx.version} review server, data folder ${ctx.dataDir}. Open the URL above in a browser; Ctrl+C stops.`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        // A second Ctrl+C while shutting down ends the process at once.
        process.once('SIGINT', () => process.exit(130));
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.err('Stopping: cancelling running jobs…');
    for (const j of services.jobs.list()) if (!j.finishedAt) services.jobs.cancel(j.jobId);
    await Promise.race([server.close(), new Promise((r) => setTimeout(r, 3000).unref())]);
    await Promise.race([services.close(), new Promise((r) => setTimeout(r, 3000).unref())]);
    ctx.close();
    // Whatever a job still holds (a worker stuck in a system call) must not keep the process alive: Ctrl+C stops.
    setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
    return 0;
  },
};
