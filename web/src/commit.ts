/**
 * When a changed value is applied (an evaluation runs, and the server stores it): Chromium fires
 * `change` on a closed <select> — and on radio buttons — at every arrow key, so a keyboard user
 * browsing the activities would run one evaluation per key press. Here a value chosen with the
 * pointer (or Space on a radio, or programmatically) is applied at once; a value reached with the
 * arrow keys (or type-ahead) is only recorded, and applied on Enter (or Space on a radio) — or by
 * the 评估 button.
 */

const NAV_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

export interface CommitHandlers<T> {
  /** Records the new value (no evaluation). */
  update(value: T): void;
  /** Applies it: evaluates. */
  commit(): void;
  /** A value was recorded by keyboard and awaits Enter (e.g. a hint in the status line). */
  pending(): void;
}

/** Whether a key press moves through the options (and so changes a closed select's value). */
function browsing(e: KeyboardEvent): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey) return false; // Alt+↓ opens the list: choosing in it is explicit
  return NAV_KEYS.has(e.key) || (e.key.length === 1 && e.key !== ' ');
}

export function bindSelect(select: HTMLSelectElement, h: CommitHandlers<string>): void {
  let keyed = false;
  select.addEventListener('pointerdown', () => (keyed = false));
  select.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      keyed = false;
      h.commit();
    } else keyed = browsing(e);
  });
  select.addEventListener('change', () => {
    h.update(select.value);
    if (keyed) {
      keyed = false;
      h.pending();
    } else h.commit();
  });
}

/** Radio buttons of one group (the inputs, each with its value). */
export function bindRadios<T>(radios: { input: HTMLInputElement; value: T }[], h: CommitHandlers<T>): void {
  let keyed = false;
  let dirty = false;
  for (const { input, value } of radios) {
    input.addEventListener('pointerdown', () => (keyed = false));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || (e.key === ' ' && dirty)) {
        // Enter (instead of the form's implicit submission), or Space on the radio the arrows
        // already checked (no change event follows).
        e.preventDefault();
        dirty = false;
        h.commit();
      } else keyed = browsing(e);
    });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      h.update(value);
      if (keyed) {
        keyed = false;
        dirty = true;
        h.pending();
      } else {
        dirty = false;
        h.commit();
      }
    });
  }
}
