import { apiSchemaContract } from '../contract/api-schema.contract';
import { startWorkersHarness } from './harness';

apiSchemaContract(() => startWorkersHarness());
