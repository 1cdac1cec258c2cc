import { startServer } from './fixtures/server-process.mjs';

/** Environment variable through which the global setup hands the server URL to the test workers. */
export const SERVER_URL_ENV = 'SHOAL_E2E_URL';

/**
 * Starts the built signal server (which serves the built web app) once for the whole run on an
 * ephemeral port. Playwright passes process.env on to the workers it starts after this, and runs the
 * returned function as the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startServer();
  process.env[SERVER_URL_ENV] = server.url;
  return async () => {
    await server.stop();
  };
}
