// Opening a file, the same way in every dialog that opens one (a world
// file, a challenge file, a challenge to hand out): the desktop's own
// Open dialog where there is one, else the page's hidden file input.

/** chooseFile opens the desktop's dialog (openDesktop) or clicks the hidden file input. */
export function chooseFile(openDesktop: (() => unknown) | undefined, picker: HTMLInputElement | undefined): void {
  if (openDesktop) void openDesktop();
  else picker?.click();
}

/** pickedFile is the file the input's change event brings; the input is emptied, so the same file again is a new choice. */
export function pickedFile(e: Event): File | undefined {
  const input = e.currentTarget as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  return file;
}
