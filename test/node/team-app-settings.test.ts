import { teamAppSettingsContract } from '../contract/team-app-settings.contract';
import { startNodeHarness } from './harness';

// Webhooks go out at once here, so the deliveries page has something to show (the settle window has its own tests).
teamAppSettingsContract(() => startNodeHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));
