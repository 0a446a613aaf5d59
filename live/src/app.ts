import { createApp, upgradeRequired } from '@ticketing/common';
import { LIVE_PATH } from './socket/live-server';

export const buildApp = () => createApp([upgradeRequired(LIVE_PATH)]);
