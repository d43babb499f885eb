/* ProcessPrng for Wine 8.0, which lacks it: Go >= 1.22 calls it for randomness. */
#include <windows.h>
typedef BOOLEAN (WINAPI *rtlgenrandom)(PVOID, ULONG);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  static rtlgenrandom gen;
  if (!gen) gen = (rtlgenrandom)GetProcAddress(LoadLibraryA("advapi32.dll"), "SystemFunction036");
  while (len > 0) {
    ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
    if (!gen || !gen(data, n)) return FALSE;
    data += n; len -= n;
  }
  return TRUE;
}
