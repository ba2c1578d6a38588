package sitetest

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestLocales checks the translated labels and accessible names the
// driver's selector pack relies on.
func TestLocales(t *testing.T) {
	for _, tc := range []struct {
		locale                           string
		login, profile, pending, dialogs []string
		thread                           []string
	}{
		{
			locale: "de",
			login:  []string{`<html lang="de">`, ">E-Mail oder Telefon</label>", ">Passwort</label>", `aria-label="Einloggen">Einloggen</button>`},
			profile: []string{
				`aria-label="Laden Sie Anna Schmidt ein, sich mit Ihnen zu vernetzen"`, ">Vernetzen</span>",
				`aria-label="Weitere Aktionen"`, ">Mehr</span>", "· 2.", "Kontakt 2. Grades",
				`aria-label="Primäre Navigation"`, ">Startseite</span>", ">Mein Netzwerk</span>", ">Nachrichten</span>", ">Ich</span>",
			},
			pending: []string{`aria-label="Ausstehend, klicken Sie, um die an Anna Schmidt gesendete Einladung zurückzuziehen"`, ">Ausstehend</span>"},
			dialogs: []string{
				"Möchten Sie Ihrer Einladung eine Notiz hinzufügen?", ">Notiz hinzufügen</span>", ">Ohne Notiz senden</span>", `aria-label="Verwerfen"`,
				">Senden</span>", ">Abbrechen</span>", ">Nachricht</label>",
				">Einladung zurückziehen</h2>", ">Zurückziehen</span>",
				"Sie haben das wöchentliche Einladungslimit erreicht",
				`aria-label="An Anna Schmidt gesendete Einladung zurückziehen"`,
			},
			thread: []string{`aria-label="Nachricht verfassen…"`, ">Senden</span>", `aria-label="Nachricht an Ben Müller"`},
		},
		{
			locale: "fr",
			login:  []string{`<html lang="fr">`, ">E-mail ou téléphone</label>", ">Mot de passe</label>", `aria-label="S’identifier">S’identifier</button>`},
			profile: []string{
				`aria-label="Invitez Anna Schmidt à rejoindre votre réseau"`, ">Se connecter</span>",
				`aria-label="Plus d’actions"`, ">Plus</span>", "· 2e", "Relation de 2e niveau",
				`aria-label="Navigation principale"`, ">Accueil</span>", ">Réseau</span>", ">Messagerie</span>", ">Vous</span>",
			},
			pending: []string{`aria-label="En attente, cliquez pour retirer l’invitation envoyée à Anna Schmidt"`, ">En attente</span>"},
			dialogs: []string{
				"Ajouter une note à votre invitation ?", ">Ajouter une note</span>", ">Envoyer sans note</span>", `aria-label="Ignorer"`,
				">Envoyer</span>", ">Annuler</span>", ">Message</label>",
				">Retirer l’invitation</h2>", ">Retirer</span>",
				"Vous avez atteint la limite hebdomadaire d’invitations",
				`aria-label="Retirer l’invitation envoyée à Anna Schmidt"`,
			},
			thread: []string{`aria-label="Rédigez un message…"`, ">Envoyer</span>", `aria-label="Envoyer un message à Ben Müller"`},
		},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			s, _ := newSite(t, Options{Locale: tc.locale})
			c := newClient(t, s)
			contains(t, "login", c.page("/login"), tc.login...)
			c.as(s, alice)
			contains(t, "profile", c.page("/in/anna-schmidt/"), tc.profile...)
			c.invite("anna-schmidt", "")
			contains(t, "pending", c.page("/in/anna-schmidt/"), tc.pending...)
			dialogs := c.page("/preload/custom-invite/?vanityName=clara-dubois") +
				c.page("/preload/custom-invite/?vanityName=clara-dubois&step=note") +
				c.page("/preload/withdraw-invite/?vanityName=anna-schmidt") +
				c.page("/preload/weekly-limit/") +
				c.page("/mynetwork/invitation-manager/sent/")
			contains(t, "dialogs", dialogs, tc.dialogs...)
			contains(t, "thread", c.page("/in/ben-mueller/")+c.page("/messaging/thread/"+ThreadID(alice, "ben-mueller")+"/"), tc.thread...)
			_, res := c.invite("anna-schmidt", "")
			if res.Toast == "" || strings.Contains(res.Toast, "already_pending") || strings.Contains(res.Toast, "An invitation") {
				t.Errorf("toast not translated: %q", res.Toast)
			}
		})
	}
}

// TestEveryPageRenders renders every page and dialog in every locale and
// layout.
func TestEveryPageRenders(t *testing.T) {
	for _, loc := range []string{"en", "de", "fr"} {
		for _, layout := range []string{LayoutClassic, LayoutAlt} {
			s, _ := newSite(t, Options{Locale: loc, Layout: layout})
			c := newClient(t, s)
			c.page("/login")
			c.as(s, alice)
			c.invite("anna-schmidt", "")
			c.message(ThreadID(alice, "ben-mueller"), "Hi")
			s.Reply(alice, "ben-mueller", "Hello")
			for _, p := range []string{
				"/feed/", "/mynetwork/", "/mynetwork/invitation-manager/sent/", "/messaging/",
				"/messaging/thread/" + ThreadID(alice, "ben-mueller") + "/", "/messaging/thread/" + ThreadID(alice, "anna-schmidt") + "/",
				"/in/anna-schmidt/", "/in/ben-mueller/", "/in/clara-dubois/",
				"/preload/custom-invite/?vanityName=clara-dubois", "/preload/custom-invite/?vanityName=clara-dubois&step=note",
				"/preload/custom-invite/?vanityName=clara-dubois&step=quota", "/preload/withdraw-invite/?vanityName=anna-schmidt",
				"/preload/weekly-limit/", "/static/site.css", "/static/site.js",
			} {
				c.page(p)
			}
			if r := c.get("/no/such/page"); r.status != http.StatusNotFound {
				t.Errorf("%s/%s: unknown page: %d", loc, layout, r.status)
			}
			s.Checkpoint(alice)
			ch := c.get("/feed/").location
			c.page(ch)
			c.page(ch + "/captcha")
			s.Clear(alice)
			s.Restrict(alice)
			c.page("/checkpoint/restricted/")
		}
	}
}

// TestCatalog checks that every string exists in every locale with the
// same placeholders, and that every key the code uses exists.
func TestCatalog(t *testing.T) {
	placeholders := regexp.MustCompile(`\{[a-z]+\}`)
	for k, p := range catalog {
		want := strings.Join(placeholders.FindAllString(p.en, -1), ",")
		for loc, v := range map[string]string{"en": p.en, "de": p.de, "fr": p.fr} {
			if v == "" {
				t.Errorf("%s: no %s string", k, loc)
			}
			if got := strings.Join(placeholders.FindAllString(v, -1), ","); got != want && !strings.HasSuffix(k, "_layout") {
				t.Errorf("%s/%s: placeholders %q, want %q", k, loc, got, want)
			}
		}
	}
	used := regexp.MustCompile(`(?:\{\{(?:t|tname|tn) |text\([a-zA-Z.]+, )"([a-z0-9_]+)"`)
	uses := 0
	for _, dir := range []fs.FS{templateFS, sourceFS(t)} {
		fs.WalkDir(dir, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := fs.ReadFile(dir, path)
			for _, m := range used.FindAllStringSubmatch(string(b), -1) {
				uses++
				if _, ok := catalog[m[1]]; !ok {
					t.Errorf("%s uses the unknown string %q", path, m[1])
				}
			}
			return nil
		})
	}
	if uses < 100 {
		t.Fatalf("found only %d uses of strings; is the pattern still right?", uses)
	}
}

// TestNoExternalResources: the pages load nothing from outside the site.
func TestNoExternalResources(t *testing.T) {
	for _, dir := range []fs.FS{templateFS, staticFS} {
		fs.WalkDir(dir, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := fs.ReadFile(dir, path)
			if m := regexp.MustCompile(`(?i:(https?:)?//[a-z0-9.-]+\.[a-z]{2,})|@import|url\(`).Find(b); m != nil {
				t.Errorf("%s refers to %q", path, m)
			}
			if regexp.MustCompile(`<script>|\son[a-z]+="|\sstyle="`).Match(b) {
				t.Errorf("%s has inline script or style", path)
			}
			return nil
		})
	}
}
