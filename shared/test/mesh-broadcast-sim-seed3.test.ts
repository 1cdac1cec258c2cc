import { broadcastSimSuite } from './helpers/broadcast-sim-suite';

broadcastSimSuite(3);
