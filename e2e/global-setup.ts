import { snapshotWebApp, startServer } from './fixtures/server-process.mjs';

/** Environment variable through which the global setup hands the server URL to the test workers. */
export const SERVER_URL_ENV = 'SHOAL_E2E_URL';

/**
 * Starts the built signal server (which serves the built web app) once for the whole run on an
 * ephemeral port. Playwright passes process.env on to the workers it starts after this, and runs the
 * returned function as the teardown. Unless STATIC_DIR names an app already, every server of the run
 * (this one and those tests start themselves) serves a snapshot of web/dist taken here.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const snapshot = process.env['STATIC_DIR'] ? null : snapshotWebApp();
  if (snapshot) process.env['STATIC_DIR'] = snapshot.dir;
  try {
    const server = await startServer();
    process.env[SERVER_URL_ENV] = server.url;
    return async () => {
      await server.stop();
      snapshot?.remove();
    };
  } catch (error) {
    snapshot?.remove();
    throw error;
  }
}
