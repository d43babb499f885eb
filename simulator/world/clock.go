package world

import "maillab/simulator/mta"

// Clock is the queues' time source given in Options (nil: the real clock).
// The retry lessons pass an *mta.FakeClock and advance it as a step.
func (w *World) Clock() mta.Clock { return w.opts.Clock }
