/*
 * The shared runtime's page script: the task pane, the ribbon commands and the CALIPER custom
 * functions all start here, in one page, so they share the connection and the caches.
 */
import { createRoot } from 'react-dom/client';

import { CaliperClient } from '../api/caliperClient';
import { registerCommands } from '../commands/commands';
import { clearingCacheOnRefresh, excelWorkbook } from '../excel/workbook';
import { clearCaliperCache } from '../functions/functions';
import { registerCaliperFunctions } from '../functions/register';
import { App } from './App';
import { showPanel } from './navigation';

void Office.onReady(() => {
  registerCaliperFunctions();
  const workbook = clearingCacheOnRefresh(excelWorkbook, clearCaliperCache);
  registerCommands({ workbook, showSnapshot: () => showPanel('refresh') });
  const container = document.getElementById('root');
  if (container === null) throw new Error('taskpane.html has no #root element');
  createRoot(container).render(
    <App workbook={workbook} createClient={(connection) => new CaliperClient(connection)} />,
  );
});
