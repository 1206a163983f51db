/*
 * The ribbon asks the pane to show a panel through a window event: in the shared runtime the
 * command handler and the React tree live in the same page but not in the same component.
 */
export type PanelId =
  | 'connect'
  | 'overview'
  | 'upload'
  | 'locations'
  | 'formula'
  | 'boardPack'
  | 'callList'
  | 'briefing'
  | 'refresh';

export const NAVIGATE_EVENT = 'caliper:navigate';

export function showPanel(panel: PanelId): void {
  window.dispatchEvent(new CustomEvent<PanelId>(NAVIGATE_EVENT, { detail: panel }));
}
