import { apiSchemaContract } from '../contract/api-schema.contract';
import { startNodeHarness } from './harness';

apiSchemaContract(() => startNodeHarness());
