import type { Config } from '../config';
import type { Db } from '../db';

/** What services need from the composition root; tests inject a frozen clock here. */
export interface ServiceDeps {
  db: Db;
  config: Config;
  clock: () => Date;
}
