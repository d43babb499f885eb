//go:build bindings

package main

// bindingsBuild is true when `wails generate` builds the app to generate
// the TypeScript bindings: wails.Run must be reached then, display or not.
const bindingsBuild = true
