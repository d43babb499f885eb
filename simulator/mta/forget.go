package mta

// DefaultKeepFinished is how many finished items (sent, bounced, expired) a
// queue remembers, newest last, with their messages: what "Where the mail
// is" and Snapshot show of the past. A classroom day sends thousands of
// messages; a queue that kept every one with its signed copy grew by the
// day (33 MB after 10,000). Items still waiting are always kept.
const DefaultKeepFinished = 1000

// forgetFinishedLocked drops the oldest finished items beyond
// Options.KeepFinished, in batches so the copy is rare; q.mu must be held.
func (q *Queue) forgetFinishedLocked() {
	keep := q.opts.KeepFinished
	if q.done < 2*keep {
		return
	}
	n := q.done - keep
	q.entries = append(make([]*entry, 0, len(q.entries)-n+keep), q.entries[n:]...)
	q.done -= n
}
