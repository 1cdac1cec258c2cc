import { describe, it } from 'vitest';
import { createMemoryHistory, historyStoreContract } from '../src/testing/index';

historyStoreContract('memory history', async () => ({ store: createMemoryHistory() }), { describe, it });
