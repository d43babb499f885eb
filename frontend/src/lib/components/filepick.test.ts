import { describe, expect, it, vi } from 'vitest';
import { chooseFile, pickedFile } from './filepick';

describe('file picking', () => {
  it('opens the desktop dialog where there is one, else clicks the hidden input', () => {
    const input = document.createElement('input');
    const click = vi.spyOn(input, 'click');
    const desktop = vi.fn();
    chooseFile(desktop, input);
    expect(desktop).toHaveBeenCalledOnce();
    expect(click).not.toHaveBeenCalled();
    chooseFile(undefined, input);
    expect(click).toHaveBeenCalledOnce();
  });

  it('takes the picked file and empties the input, so the same file again is a new choice', () => {
    const input = document.createElement('input');
    input.type = 'file';
    const file = new File(['maillab-world: 1'], 'w.yaml');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    let value = 'C:\\fakepath\\w.yaml';
    Object.defineProperty(input, 'value', { get: () => value, set: (v) => (value = v), configurable: true });
    const e = new Event('change');
    Object.defineProperty(e, 'currentTarget', { value: input });
    expect(pickedFile(e)).toBe(file);
    expect(value).toBe('');
  });
});
