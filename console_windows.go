//go:build windows

package main

import (
	"os"
	"syscall"
)

// attachConsole: the Windows build is a GUI program (-H windowsgui), so
// cmd.exe and PowerShell do not give it their console. Started with a
// command (maillab.exe trace send-pop3), it attaches to the console of
// the shell that started it, so the output appears there; with no
// command it stays a window, with no console popping up.
func attachConsole() {
	if len(os.Args) < 2 {
		return
	}
	const attachParentProcess = ^uint32(0) // ATTACH_PARENT_PROCESS (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if r, _, _ := attach.Call(uintptr(attachParentProcess)); r == 0 {
		return // started from Explorer, or output already redirected
	}
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		if !isRedirected(os.Stdout) {
			os.Stdout = out
		}
		if !isRedirected(os.Stderr) {
			os.Stderr = out
		}
	}
}

// isRedirected: a handle already pointing at a file or pipe (maillab.exe
// trace tls > out.txt) is kept.
func isRedirected(f *os.File) bool {
	if f == nil {
		return false
	}
	t, err := syscall.GetFileType(syscall.Handle(f.Fd()))
	return err == nil && t != 0 && t != 0x0002 // FILE_TYPE_UNKNOWN, FILE_TYPE_CHAR
}
