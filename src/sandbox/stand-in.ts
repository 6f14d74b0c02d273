import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { SandboxControls } from './faults/controls.ts';

/** What every local stand-in receives: where it is reached from outside, where it keeps its state. */
export interface StandInContext {
  /** The sandbox's public base URL, e.g. http://localhost:3001 (each stand-in adds its own prefix). */
  publicUrl: string;
  /** Folder for state that must survive a restart; null keeps everything in memory (tests). */
  dataDir: string | null;
  /** The app's configuration: the stand-ins register the app as their client with these credentials. */
  config: Config;
  /** The fault plan to play and the probes tests read (src/sandbox/faults/); absent outside the sandbox. */
  controls?: SandboxControls;
  /**
   * Whether the per-IP limits of the real services apply (API Particulier's 1000/min, FranceConnect's /checktoken
   * 30/min and 600/h). On by default; off only for load benchmarks, whose one IP stands for many users.
   */
  perIpLimits?: boolean;
}

/** A stand-in registers its routes (under its own prefix) on the sandbox server. */
export type StandIn = (app: FastifyInstance, context: StandInContext) => Promise<void>;
