import { saveWhere } from '../core/where';

/** freshStorage empties localStorage as a returning user's would be: the welcome view was answered, nothing else. */
export function freshStorage(): void {
  localStorage.clear();
  saveWhere(localStorage, { welcomed: true });
}
