/*
 * The ribbon's ExecuteFunction handlers. In the shared runtime they run in the task pane's
 * page, so they use the same Excel module as the pane; each must call `event.completed()`
 * or Office keeps the button busy.
 */
import type { CaliperWorkbook } from '../excel/workbook';

/** The `<FunctionName>`s of manifest.xml, each associated below. */
export const COMMAND_NAMES = [
  'refreshSelection',
  'refreshSheet',
  'refreshWorkbook',
  'snapshotToValues',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface CommandOptions {
  workbook: CaliperWorkbook;
  /**
   * Snapshot replaces formulas for good, so the ribbon does not do it blind: it opens the pane
   * on the snapshot controls, where the user confirms the scope.
   */
  showSnapshot: () => void;
}

type Handler = (event: Office.AddinCommands.Event) => void;

function completing(work: () => Promise<unknown>): Handler {
  return (event) => {
    work()
      .catch((error: unknown) => console.error('Caliper command failed:', error))
      .finally(() => event.completed());
  };
}

export function commandHandlers({ workbook, showSnapshot }: CommandOptions): Record<CommandName, Handler> {
  return {
    refreshSelection: completing(() => workbook.refresh('selection')),
    refreshSheet: completing(() => workbook.refresh('sheet')),
    refreshWorkbook: completing(() => workbook.refresh('workbook')),
    snapshotToValues: completing(async () => {
      showSnapshot();
      await Office.addin.showAsTaskpane();
    }),
  };
}

export function registerCommands(options: CommandOptions): void {
  const handlers = commandHandlers(options);
  for (const name of COMMAND_NAMES) Office.actions.associate(name, handlers[name]);
}
