package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-imap/v2"

	"maillab/lessons/i18n"
	"maillab/simulator/conductor"
	"maillab/simulator/mua"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// The built-in mail client on every device: compose and send by a route
// of the learner's choice, and check mail as the device's protocol does.
// Each action runs in the current run's world as steps of its own
// (simulator/scenario/client.go): held in a stepped run, at once in the
// live one. The calls return as soon as the action has started; its
// traffic and outcome appear in the transcript, and a snapshot event
// follows when it ends.

// Bounds of what the mail client accepts.
const (
	MaxRecipients      = 10        // To, Cc and Bcc together
	MaxSubjectRunes    = 200       // a subject line
	MaxBodyBytes       = 32 << 10  // the text body
	MaxAttachments     = 5         // files per mail
	MaxAttachmentBytes = 512 << 10 // one uploaded file, decoded
	MaxAttachmentTotal = 1 << 20   // all files of a mail, decoded
	maxClientActions   = 4         // actions of the mail client running at once
	// composeMaxBody: the request carries the uploads in base64 (4/3)
	// plus the text fields.
	composeMaxBody = MaxAttachmentTotal*4/3 + MaxBodyBytes*2 + 1<<16
)

// deviceProtocol: how each device's mail client reads mail when the
// world names no such device, as in the scripted lessons: the laptops of
// Bob, Carol and Dave use POP3, Alice's laptop, Bob's phone and Erin's
// laptop (example.com) IMAP. A world's devices say it themselves
// (worldspec.Device: protocol, security, leave-on-server).
var deviceProtocol = map[string]string{"alice-laptop": "imap", "bob-laptop": "pop3", "bob-phone": "imap",
	"carol-laptop": "pop3", "dave-laptop": "pop3", "erin-laptop": "imap"}

// DeviceInfo is one device's mail client as the UI shows it.
type DeviceInfo struct {
	ID       string `json:"id"`
	Account  string `json:"account"`
	Protocol string `json:"protocol"` // pop3 | imap
	Security string `json:"security"` // starttls | implicit | plain
	Port     int    `json:"port"`     // 110, 995, 143 or 993
	// LeaveOnServer: the POP3 client keeps a copy on the server by
	// default (each check can say otherwise).
	LeaveOnServer bool       `json:"leaveOnServer"`
	Folders       []string   `json:"folders"`  // IMAP folders last listed
	Messages      []MailItem `json:"messages"` // what the device stores or shows
	Busy          bool       `json:"busy"`     // an action of its client is running
}

// MailItem is one message on a device.
type MailItem struct {
	mua.Local
	Whole       bool     `json:"whole"`       // the device has the whole message, not only its envelope
	Attachments []string `json:"attachments"` // file names, when the device has the whole message
	Body        string   `json:"body"`        // the text part, when it has it
}

// SampleFile is a sample attachment the client offers.
type SampleFile struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int    `json:"size"`
}

// ComposeRequest is the compose window's content.
type ComposeRequest struct {
	Lang    string         `json:"lang"` // for error messages
	Device  string         `json:"device"`
	To      []string       `json:"to"`
	Cc      []string       `json:"cc"`
	Bcc     []string       `json:"bcc"`
	Subject string         `json:"subject"`
	Body    string         `json:"body"`
	Samples []string       `json:"samples"` // names from mailSamples
	Uploads []UploadedFile `json:"uploads"`
	Route   string         `json:"route"` // 587 | 465 | 25
}

// UploadedFile is a file from the user's disk.
type UploadedFile struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Base64 string `json:"base64"`
}

// CheckRequest is a press of "Check mail".
type CheckRequest struct {
	Lang          string `json:"lang"`
	Device        string `json:"device"`
	LeaveOnServer bool   `json:"leaveOnServer"` // POP3 only
}

// ActionStarted answers compose and checkMail.
type ActionStarted struct {
	Device   string `json:"device"`
	Stepped  bool   `json:"stepped"` // the run holds each line until Step or Play
	Protocol string `json:"protocol,omitempty"`
}

// clientActions are the mail client's running actions in the current run.
type clientActions struct {
	mu     sync.Mutex
	busy   map[string]int // actions per device
	n      int
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// begin reserves a slot for device; false when too many actions run.
func (c *clientActions) begin(device string) (context.Context, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n >= maxClientActions {
		return nil, false
	}
	if c.ctx == nil {
		c.ctx, c.cancel = context.WithCancel(context.Background())
	}
	if c.busy == nil {
		c.busy = map[string]int{}
	}
	c.busy[device]++
	c.n++
	c.wg.Add(1)
	return c.ctx, true
}

func (c *clientActions) end(device string) {
	c.mu.Lock()
	c.busy[device]--
	c.n--
	c.mu.Unlock()
	c.wg.Done()
}

func (c *clientActions) isBusy(device string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.busy[device] > 0
}

// stop cancels the running actions and waits for them: the world they
// act in is closing.
func (c *clientActions) stop() {
	c.mu.Lock()
	cancel := c.cancel
	c.ctx, c.cancel = nil, nil
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	c.wg.Wait()
}

// clientError is an error in the user's language.
func clientError(lang, key string, params map[string]any) error {
	if !i18n.Supported(lang) {
		lang = "en"
	}
	p := make(map[string]string, len(params))
	for k, v := range params {
		p[k] = fmt.Sprint(v)
	}
	return errors.New(i18n.T(lang, "ui.mailclient.err."+key, p))
}

// Devices lists every device of the current run with its mail client.
func (a *App) Devices() ([]DeviceInfo, error) {
	a.mu.Lock()
	run := a.run
	a.mu.Unlock()
	out := []DeviceInfo{}
	if run == nil {
		return out, nil
	}
	spec := run.World.Spec()
	for _, ds := range run.World.Snapshot().Devices {
		dev := run.World.Device(ds.Node)
		d := deviceOf(spec, ds.Node)
		info := DeviceInfo{ID: ds.Node, Account: dev.Account.Address, Protocol: d.Protocol, Security: d.Security,
			Port: worldspec.FetchPort(d.Protocol, d.Security), LeaveOnServer: d.LeaveOnServer != nil && *d.LeaveOnServer,
			Folders: dev.Folders(), Messages: []MailItem{}, Busy: a.client.isBusy(ds.Node)}
		if info.Folders == nil {
			info.Folders = []string{}
		}
		for _, l := range ds.Messages {
			item := MailItem{Local: l, Attachments: []string{}}
			if l.Raw != nil {
				item.Whole = true
				item.Body, item.Attachments = mua.Parts(l.Raw)
			}
			info.Messages = append(info.Messages, item)
		}
		out = append(out, info)
	}
	return out, nil
}

// deviceOf is the device's settings in the world spec s, or the
// scripted lessons' when s has no such device.
func deviceOf(s world.Spec, name string) worldspec.Device {
	if d := s.Device(name); d != nil {
		out := *d
		if out.Protocol == "" {
			out.Protocol = protocolOf(name)
		}
		if out.Security == "" {
			out.Security = worldspec.StartTLS
		}
		return out
	}
	return worldspec.Device{Name: name, Protocol: protocolOf(name), Security: worldspec.StartTLS}
}

func protocolOf(device string) string {
	if p, ok := deviceProtocol[device]; ok {
		return p
	}
	// A classroom student's laptop and phone: IMAP, so both see the same
	// mailbox.
	return "imap"
}

// MailSamples lists the sample attachments.
func (a *App) MailSamples() ([]SampleFile, error) {
	out := []SampleFile{}
	for _, n := range mua.SampleNames() {
		s, _ := mua.Sample(n)
		out = append(out, SampleFile{Name: n, Type: s.ContentType, Size: len(s.Data)})
	}
	return out, nil
}

// Compose checks the draft and starts sending it from the device.
func (a *App) Compose(req ComposeRequest) (ActionStarted, error) {
	lang := req.Lang
	a.mu.Lock()
	run := a.run
	a.mu.Unlock()
	if run == nil {
		return ActionStarted{}, clientError(lang, "no-run", nil)
	}
	dev := run.World.Device(req.Device)
	if dev == nil {
		return ActionStarted{}, clientError(lang, "no-device", map[string]any{"device": req.Device})
	}
	draft, route, err := buildDraft(req, dev.Account.Address)
	if err != nil {
		return ActionStarted{}, err
	}
	draft.Date = run.World.Now()
	ctx, ok := a.client.begin(req.Device)
	if !ok {
		return ActionStarted{}, clientError(lang, "busy", map[string]any{"max": maxClientActions})
	}
	w := run.World
	go func() {
		defer a.client.end(req.Device)
		scenario.ClientSend(ctx, w, req.Device, draft, route) // the transcript tells the outcome
		a.opts.Hub.Publish(EventSnapshot, w.Snapshot())
	}()
	return ActionStarted{Device: req.Device, Stepped: a.stepped()}, nil
}

// CheckMail starts "Check mail" on the device, by its protocol.
func (a *App) CheckMail(req CheckRequest) (ActionStarted, error) {
	a.mu.Lock()
	run := a.run
	a.mu.Unlock()
	if run == nil {
		return ActionStarted{}, clientError(req.Lang, "no-run", nil)
	}
	if run.World.Device(req.Device) == nil {
		return ActionStarted{}, clientError(req.Lang, "no-device", map[string]any{"device": req.Device})
	}
	ctx, ok := a.client.begin(req.Device)
	if !ok {
		return ActionStarted{}, clientError(req.Lang, "busy", map[string]any{"max": maxClientActions})
	}
	w := run.World
	d := deviceOf(w.Spec(), req.Device)
	proto, sec := d.Protocol, mua.Security(d.Security)
	go func() {
		defer a.client.end(req.Device)
		o := scenario.CheckOptions{Protocol: proto, LeaveOnServer: req.LeaveOnServer, Security: sec}
		if req.LeaveOnServer {
			o.DeleteAfterDays = d.DeleteAfterDays
		}
		if err := scenario.ClientCheckWith(ctx, w, req.Device, o); err != nil && ctx.Err() == nil {
			w.Note(ctx, req.Device, "state.client-check-failed", map[string]string{"error": err.Error()})
		}
		a.opts.Hub.Publish(EventSnapshot, w.Snapshot())
	}()
	return ActionStarted{Device: req.Device, Stepped: a.stepped(), Protocol: proto}, nil
}

// OpenRequest is a click on a message in a device's IMAP inbox.
type OpenRequest struct {
	Lang   string `json:"lang"`
	Device string `json:"device"`
	Key    string `json:"key"` // "imap:UID", as DeviceInfo lists it
}

// OpenMail fetches a message the device shows over IMAP whole, which
// marks it \Seen on the server. POP3 messages are on the device already.
func (a *App) OpenMail(req OpenRequest) (ActionStarted, error) {
	a.mu.Lock()
	run := a.run
	a.mu.Unlock()
	if run == nil {
		return ActionStarted{}, clientError(req.Lang, "no-run", nil)
	}
	dev := run.World.Device(req.Device)
	if dev == nil {
		return ActionStarted{}, clientError(req.Lang, "no-device", map[string]any{"device": req.Device})
	}
	uid, err := strconv.ParseUint(strings.TrimPrefix(req.Key, "imap:"), 10, 32)
	if _, ok := dev.Message(req.Key); !ok || err != nil || uid == 0 || !strings.HasPrefix(req.Key, "imap:") {
		return ActionStarted{}, clientError(req.Lang, "no-message", nil)
	}
	ctx, ok := a.client.begin(req.Device)
	if !ok {
		return ActionStarted{}, clientError(req.Lang, "busy", map[string]any{"max": maxClientActions})
	}
	w := run.World
	go func() {
		defer a.client.end(req.Device)
		sec := mua.Security(deviceOf(w.Spec(), req.Device).Security)
		if err := scenario.ClientOpenAs(ctx, w, req.Device, imap.UID(uid), sec); err != nil && ctx.Err() == nil {
			w.Note(ctx, req.Device, "state.client-check-failed", map[string]string{"error": err.Error()})
		}
		a.opts.Hub.Publish(EventSnapshot, w.Snapshot())
	}()
	return ActionStarted{Device: req.Device, Stepped: a.stepped(), Protocol: "imap"}, nil
}

// stepped: the current run holds lines until Step or Play.
func (a *App) stepped() bool {
	c, err := a.conductor()
	if err != nil {
		return false
	}
	mode, _ := c.Mode()
	return mode != conductor.Instant
}

// buildDraft checks every field against the bounds and turns the request
// into a draft from the device's account.
func buildDraft(req ComposeRequest, from string) (mua.Draft, scenario.Route, error) {
	lang := req.Lang
	d := mua.Draft{From: from}
	var route scenario.Route
	for _, r := range scenario.Routes {
		if string(r) == req.Route {
			route = r
		}
	}
	if route == "" {
		return d, "", clientError(lang, "route", map[string]any{"route": req.Route})
	}
	var err error
	lists := []struct {
		in  []string
		out *[]string
	}{{req.To, &d.To}, {req.Cc, &d.Cc}, {req.Bcc, &d.Bcc}}
	n := 0
	for _, l := range lists {
		for _, s := range l.in {
			if strings.TrimSpace(s) == "" {
				continue
			}
			if n++; n > MaxRecipients {
				return d, "", clientError(lang, "recipients", map[string]any{"max": MaxRecipients})
			}
			addr, e := address(s)
			if e != nil {
				return d, "", clientError(lang, "address", map[string]any{"address": s})
			}
			*l.out = append(*l.out, addr)
		}
	}
	if len(d.To)+len(d.Cc)+len(d.Bcc) == 0 {
		return d, "", clientError(lang, "no-recipient", nil)
	}
	if utf8.RuneCountInString(req.Subject) > MaxSubjectRunes || hasControl(req.Subject) {
		return d, "", clientError(lang, "subject", map[string]any{"max": MaxSubjectRunes})
	}
	d.Subject = req.Subject
	if len(req.Body) > MaxBodyBytes || !utf8.ValidString(req.Body) {
		return d, "", clientError(lang, "body", map[string]any{"max": MaxBodyBytes / 1024})
	}
	d.Body = normalizeNewlines(req.Body)
	if len(req.Samples)+len(req.Uploads) > MaxAttachments {
		return d, "", clientError(lang, "attachments", map[string]any{"max": MaxAttachments})
	}
	total := 0
	for _, name := range req.Samples {
		s, ok := mua.Sample(name)
		if !ok {
			return d, "", clientError(lang, "sample", map[string]any{"name": name})
		}
		d.Attachments = append(d.Attachments, s)
		total += len(s.Data)
	}
	for _, u := range req.Uploads {
		var att mua.Attachment
		if att, err = upload(lang, u); err != nil {
			return d, "", err
		}
		d.Attachments = append(d.Attachments, att)
		total += len(att.Data)
	}
	if total > MaxAttachmentTotal {
		return d, "", clientError(lang, "total", map[string]any{"max": MaxAttachmentTotal >> 10})
	}
	return d, route, nil
}

// address accepts "bob@example.net" or "Bob <bob@example.net>" and
// returns the bare address.
func address(s string) (string, error) {
	if len(s) > 254 {
		return "", errors.New("too long")
	}
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return "", err
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 1 || at == len(a.Address)-1 || !isASCII(a.Address) {
		return "", fmt.Errorf("not an address")
	}
	return a.Address, nil
}

func upload(lang string, u UploadedFile) (mua.Attachment, error) {
	name := strings.TrimSpace(u.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 || hasControl(name) || strings.ContainsAny(name, `/\`) {
		return mua.Attachment{}, clientError(lang, "file-name", map[string]any{"name": u.Name})
	}
	if base64.StdEncoding.DecodedLen(len(u.Base64)) > MaxAttachmentBytes+3 {
		return mua.Attachment{}, clientError(lang, "file-size", map[string]any{"name": name, "max": MaxAttachmentBytes >> 10})
	}
	data, err := base64.StdEncoding.DecodeString(u.Base64)
	if err != nil {
		return mua.Attachment{}, clientError(lang, "file-data", map[string]any{"name": name})
	}
	if len(data) > MaxAttachmentBytes {
		return mua.Attachment{}, clientError(lang, "file-size", map[string]any{"name": name, "max": MaxAttachmentBytes >> 10})
	}
	ct := "application/octet-stream"
	if mt, params, err := mime.ParseMediaType(u.Type); err == nil && strings.Contains(mt, "/") {
		ct = mime.FormatMediaType(mt, params)
	}
	return mua.Attachment{Name: name, ContentType: ct, Data: data}, nil
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] <= ' ' {
			return false
		}
	}
	return true
}

// normalizeNewlines makes every line end in CRLF, as a mail body must
// (RFC 5322 §2.3).
func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}
