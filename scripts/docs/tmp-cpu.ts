import { highlightStats } from './lib/highlight';
import { buildSite } from './build';
(async () => { const c = process.cpuUsage(); const t = performance.now(); await buildSite(); const u = process.cpuUsage(c); console.log('wall', Math.round(performance.now() - t), 'cpu', Math.round((u.user + u.system) / 1000), highlightStats); })();
