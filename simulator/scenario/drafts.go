package scenario

import (
	"time"

	"maillab/simulator/mua"
)

// The demo mail: non-ASCII in the subject shows RFC 2047 encoded words.
func aliceToBob(date time.Time, subject string) mua.Draft {
	return mua.Draft{
		From: "alice@example.org", FromName: "Alice",
		To:      []string{"bob@example.net"},
		Subject: subject,
		Body:    "Hi Bob,\r\n\r\nthe conference in Kraków was great. See you soon!\r\n\r\nAlice\r\n",
		Date:    date,
	}
}

const demoSubject = "Grüße aus Kraków"
