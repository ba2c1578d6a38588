package sitetest

import (
	"fmt"
	"strings"
	"time"
)

// phrase is one string in each locale. Placeholders: {name} (a member's
// full name), {n} (a number).
type phrase struct{ en, de, fr string }

// catalog is every word the site shows, labels and accessible names alike.
// French uses the typographic apostrophe (’) as LinkedIn does; English the
// ASCII one.
var catalog = map[string]phrase{
	// Sign-in page.
	"login_title":        {"LinkedIn Login, Sign in | LinkedIn", "LinkedIn Login, Einloggen | LinkedIn", "Identifiant LinkedIn, S’identifier | LinkedIn"},
	"login_heading":      {"Sign in", "Einloggen", "S’identifier"},
	"login_subtitle":     {"Stay updated on your professional world", "Bleiben Sie über Ihre berufliche Welt auf dem Laufenden", "Restez au courant de l’actualité de votre univers professionnel"},
	"email_label":        {"Email or phone", "E-Mail oder Telefon", "E-mail ou téléphone"},
	"password_label":     {"Password", "Passwort", "Mot de passe"},
	"password_show":      {"Show", "Anzeigen", "Afficher"},
	"password_show_aria": {"Show your LinkedIn password", "Ihr LinkedIn Passwort anzeigen", "Afficher votre mot de passe LinkedIn"},
	"sign_in":            {"Sign in", "Einloggen", "S’identifier"},
	"login_empty":        {"Please enter an email address or phone number.", "Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer ein.", "Veuillez saisir une adresse e-mail ou un numéro de téléphone."},
	"login_unknown":      {"Couldn't find a LinkedIn account associated with this email. Please try again.", "Wir konnten kein LinkedIn Konto finden, das mit dieser E-Mail-Adresse verknüpft ist. Bitte versuchen Sie es erneut.", "Impossible de trouver un compte LinkedIn associé à cette adresse e-mail. Veuillez réessayer."},
	"login_wrong":        {"Wrong email or password. Try again or create an account.", "Falsche E-Mail-Adresse oder falsches Passwort. Versuchen Sie es erneut oder erstellen Sie ein Konto.", "E-mail ou mot de passe incorrect. Réessayez ou créez un compte."},

	// Global navigation and the Me menu.
	"nav_label":     {"Primary Navigation", "Primäre Navigation", "Navigation principale"},
	"nav_home":      {"Home", "Startseite", "Accueil"},
	"nav_network":   {"My Network", "Mein Netzwerk", "Réseau"},
	"nav_messaging": {"Messaging", "Nachrichten", "Messagerie"},
	"nav_me":        {"Me", "Ich", "Vous"},
	"nav_unread":    {"{n} new messages", "{n} neue Nachrichten", "{n} nouveaux messages"},
	"nav_unread_1":  {"1 new message", "1 neue Nachricht", "1 nouveau message"},
	"search":        {"Search", "Suchen", "Recherche"},
	"sign_out":      {"Sign Out", "Abmelden", "Déconnexion"},

	// Feed.
	"feed_title":   {"Feed | LinkedIn", "Feed | LinkedIn", "Fil d’actualité | LinkedIn"},
	"feed_heading": {"Main feed", "Haupt-Feed", "Fil d’actualité principal"},
	"feed_welcome": {"Welcome, {name}!", "Willkommen, {name}!", "Bienvenue, {name} !"},
	"start_post":   {"Start a post", "Beitrag beginnen", "Commencer un post"},
	"feed_empty":   {"You're all caught up", "Sie sind auf dem neuesten Stand", "Vous êtes à jour"},

	// Profile top card.
	"connect":        {"Connect", "Vernetzen", "Se connecter"},
	"connect_label":  {"Invite {name} to connect", "Laden Sie {name} ein, sich mit Ihnen zu vernetzen", "Invitez {name} à rejoindre votre réseau"},
	"pending":        {"Pending", "Ausstehend", "En attente"},
	"pending_label":  {"Pending, click to withdraw invitation sent to {name}", "Ausstehend, klicken Sie, um die an {name} gesendete Einladung zurückzuziehen", "En attente, cliquez pour retirer l’invitation envoyée à {name}"},
	"message":        {"Message", "Nachricht", "Message"},
	"message_label":  {"Message {name}", "Nachricht an {name}", "Envoyer un message à {name}"},
	"more":           {"More", "Mehr", "Plus"},
	"more_label":     {"More actions", "Weitere Aktionen", "Plus d’actions"},
	"save_pdf":       {"Save to PDF", "Als PDF speichern", "Enregistrer au format PDF"},
	"about_profile":  {"About this profile", "Über dieses Profil", "À propos de ce profil"},
	"degree_1":       {"1st", "1.", "1er"},
	"degree_2":       {"2nd", "2.", "2e"},
	"degree_3":       {"3rd", "3.", "3e"},
	"degree_1_long":  {"1st degree connection", "Kontakt 1. Grades", "Relation de 1er niveau"},
	"degree_2_long":  {"2nd degree connection", "Kontakt 2. Grades", "Relation de 2e niveau"},
	"degree_3_long":  {"3rd degree connection", "Kontakt 3. Grades", "Relation de 3e niveau"},
	"more_profiles":  {"More profiles for you", "Weitere Profile für Sie", "Plus de profils pour vous"},
	"profile_title":  {"{name} | LinkedIn", "{name} | LinkedIn", "{name} | LinkedIn"},
	"sticky_actions": {"Profile actions", "Profilaktionen", "Actions du profil"},

	// Invitation dialogs.
	"dismiss":           {"Dismiss", "Verwerfen", "Ignorer"},
	"cancel":            {"Cancel", "Abbrechen", "Annuler"},
	"send":              {"Send", "Senden", "Envoyer"},
	"invite_heading":    {"Add a note to your invitation?", "Möchten Sie Ihrer Einladung eine Notiz hinzufügen?", "Ajouter une note à votre invitation ?"},
	"invite_body":       {"Personalize your invitation to {name} by adding a note. LinkedIn members are more likely to accept invitations that include a note.", "Personalisieren Sie Ihre Einladung an {name} mit einer Notiz. LinkedIn Mitglieder nehmen Einladungen mit einer Notiz eher an.", "Personnalisez votre invitation à {name} en ajoutant une note. Les membres LinkedIn acceptent plus volontiers les invitations accompagnées d’une note."},
	"add_note":          {"Add a note", "Notiz hinzufügen", "Ajouter une note"},
	"send_without_note": {"Send without a note", "Ohne Notiz senden", "Envoyer sans note"},
	"note_heading":      {"Add a note to your invitation", "Fügen Sie Ihrer Einladung eine Notiz hinzu", "Ajoutez une note à votre invitation"},
	"note_placeholder":  {"Ex: We know each other from…", "Beispiel: Wir kennen uns von…", "Ex. : Nous nous connaissons de…"},
	"invite_sent":       {"Your invitation to {name} was sent.", "Ihre Einladung an {name} wurde gesendet.", "Votre invitation à {name} a été envoyée."},
	"quota_heading":     {"No free personalized invitations left", "Keine kostenlosen personalisierten Einladungen mehr", "Plus d’invitations personnalisées gratuites"},
	"quota_body":        {"You've used all your free personalized invitations for this month. Premium members can send unlimited personalized invitations.", "Sie haben alle kostenlosen personalisierten Einladungen für diesen Monat verwendet. Premium-Mitglieder können unbegrenzt personalisierte Einladungen senden.", "Vous avez utilisé toutes vos invitations personnalisées gratuites pour ce mois-ci. Les membres Premium peuvent envoyer des invitations personnalisées en illimité."},
	"try_premium":       {"Try Premium for free", "Premium gratis testen", "Essayer Premium gratuitement"},
	"weekly_heading":    {"You've reached the weekly invitation limit", "Sie haben das wöchentliche Einladungslimit erreicht", "Vous avez atteint la limite hebdomadaire d’invitations"},
	"weekly_body":       {"Please wait until next week to send more invitations.", "Bitte warten Sie bis nächste Woche, um weitere Einladungen zu senden.", "Veuillez attendre la semaine prochaine pour envoyer d’autres invitations."},
	"got_it":            {"Got it", "Verstanden", "J’ai compris"},
	"withdraw_heading":  {"Withdraw invitation", "Einladung zurückziehen", "Retirer l’invitation"},
	"withdraw_body":     {"If you withdraw now, you won't be able to resend to {name} for up to 3 weeks.", "Wenn Sie die Einladung jetzt zurückziehen, können Sie {name} bis zu 3 Wochen lang keine neue Einladung senden.", "Si vous retirez l’invitation maintenant, vous ne pourrez pas en renvoyer à {name} avant 3 semaines."},
	"withdraw":          {"Withdraw", "Zurückziehen", "Retirer"},
	"withdraw_label":    {"Withdraw invitation sent to {name}", "An {name} gesendete Einladung zurückziehen", "Retirer l’invitation envoyée à {name}"},
	"withdrawn":         {"Invitation withdrawn", "Einladung zurückgezogen", "Invitation retirée"},
	"resend_blocked":    {"You can resend an invitation to {name} 3 weeks after withdrawing it.", "Sie können {name} erst 3 Wochen nach dem Zurückziehen erneut einladen.", "Vous pourrez renvoyer une invitation à {name} 3 semaines après l’avoir retirée."},
	"already_pending":   {"An invitation to {name} is already pending.", "Eine Einladung an {name} ist bereits ausstehend.", "Une invitation à {name} est déjà en attente."},
	"already_connected": {"You're already connected to {name}.", "Sie sind bereits mit {name} vernetzt.", "Vous êtes déjà en relation avec {name}."},
	"note_too_long":     {"Your note can have at most 300 characters.", "Ihre Notiz darf höchstens 300 Zeichen lang sein.", "Votre note ne peut pas dépasser 300 caractères."},
	"error_generic":     {"Something went wrong. Please try again.", "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.", "Une erreur s’est produite. Veuillez réessayer."},

	// Messaging.
	"messaging_title":     {"Messaging | LinkedIn", "Nachrichten | LinkedIn", "Messagerie | LinkedIn"},
	"thread_title":        {"{name} | Messaging | LinkedIn", "{name} | Nachrichten | LinkedIn", "{name} | Messagerie | LinkedIn"},
	"conversations_label": {"Conversation list", "Unterhaltungsliste", "Liste des conversations"},
	"messages_label":      {"Messages", "Nachrichten", "Messages"},
	"composer_label":      {"Write a message…", "Nachricht verfassen…", "Rédigez un message…"},
	"you_prefix":          {"You: ", "Sie: ", "Vous : "},
	"you":                 {"You", "Sie", "Vous"},
	"unread":              {"Unread", "Ungelesen", "Non lu"},
	"inbox_empty":         {"No messages yet", "Noch keine Nachrichten", "Aucun message pour l’instant"},
	"thread_empty":        {"Start a conversation with {name}", "Beginnen Sie eine Unterhaltung mit {name}", "Commencez une conversation avec {name}"},
	"not_connected":       {"You can only message your connections.", "Sie können nur Ihren Kontakten Nachrichten senden.", "Vous ne pouvez envoyer des messages qu’à vos relations."},
	"empty_message":       {"Write a message first.", "Verfassen Sie zuerst eine Nachricht.", "Rédigez d’abord un message."},
	"message_too_long":    {"Your message is too long.", "Ihre Nachricht ist zu lang.", "Votre message est trop long."},

	// My Network and the invitation manager.
	"network_title":      {"My Network | LinkedIn", "Mein Netzwerk | LinkedIn", "Réseau | LinkedIn"},
	"network_heading":    {"Manage my network", "Mein Netzwerk verwalten", "Gérer mon réseau"},
	"connections":        {"Connections", "Kontakte", "Relations"},
	"sent_title":         {"Sent invitations | LinkedIn", "Gesendete Einladungen | LinkedIn", "Invitations envoyées | LinkedIn"},
	"manage_invitations": {"Manage invitations", "Einladungen verwalten", "Gérer les invitations"},
	"sent_tab":           {"Sent", "Gesendet", "Envoyées"},
	"people_count":       {"People ({n})", "Personen ({n})", "Personnes ({n})"},
	"no_sent":            {"No pending invitations", "Keine ausstehenden Einladungen", "Aucune invitation en attente"},
	"sent_today":         {"Sent today", "Heute gesendet", "Envoyée aujourd’hui"},
	"sent_yesterday":     {"Sent yesterday", "Gestern gesendet", "Envoyée hier"},
	"sent_days":          {"Sent {n} days ago", "Vor {n} Tagen gesendet", "Envoyée il y a {n} jours"},

	// Where LinkedIn holds an account.
	"challenge_title":    {"Security Verification | LinkedIn", "Sicherheitsüberprüfung | LinkedIn", "Vérification de sécurité | LinkedIn"},
	"challenge_heading":  {"Let's do a quick security check", "Kurze Sicherheitsüberprüfung", "Procédons à une vérification de sécurité rapide"},
	"challenge_body":     {"We want to make sure it's really you. Please complete the check below to continue.", "Wir möchten sicherstellen, dass Sie es wirklich sind. Bitte schließen Sie die Überprüfung ab, um fortzufahren.", "Nous voulons nous assurer qu’il s’agit bien de vous. Veuillez effectuer la vérification ci-dessous pour continuer."},
	"captcha_title":      {"Security verification", "Sicherheitsüberprüfung", "Vérification de sécurité"},
	"captcha_prompt":     {"Pick the image that is the right way up", "Wählen Sie das Bild, das richtig herum ist", "Choisissez l’image qui est dans le bon sens"},
	"verify":             {"Verify", "Bestätigen", "Vérifier"},
	"restricted_title":   {"Account restricted | LinkedIn", "Konto eingeschränkt | LinkedIn", "Compte restreint | LinkedIn"},
	"restricted_heading": {"Your account has been restricted", "Ihr Konto wurde eingeschränkt", "Votre compte a été restreint"},
	"restricted_body":    {"We've temporarily restricted your account because we noticed activity that goes against our User Agreement.", "Wir haben Ihr Konto vorübergehend eingeschränkt, weil wir Aktivitäten festgestellt haben, die gegen unsere Nutzervereinbarung verstoßen.", "Nous avons temporairement restreint votre compte car nous avons constaté une activité contraire à nos Conditions d’utilisation."},

	// Not found.
	"notfound_title":   {"Page not found | LinkedIn", "Seite nicht gefunden | LinkedIn", "Page introuvable | LinkedIn"},
	"notfound_heading": {"This page doesn't exist", "Diese Seite existiert nicht", "Cette page n’existe pas"},
	"notfound_body":    {"Please check your URL or return to LinkedIn home.", "Bitte überprüfen Sie die URL oder kehren Sie zur LinkedIn Startseite zurück.", "Veuillez vérifier votre URL ou revenir à l’accueil LinkedIn."},
	"go_feed":          {"Go to your feed", "Zu Ihrem Feed", "Accéder à votre fil"},

	// Dates: layouts with {mon}, {day}, {year}; Go's layout for times.
	"time_layout":      {"3:04 PM", "15:04", "15:04"},
	"date_layout":      {"{mon} {day}", "{day}. {mon}", "{day} {mon}"},
	"date_year_layout": {"{mon} {day}, {year}", "{day}. {mon} {year}", "{day} {mon} {year}"},
	"wd_0":             {"Sun", "So.", "dim."},
	"wd_1":             {"Mon", "Mo.", "lun."},
	"wd_2":             {"Tue", "Di.", "mar."},
	"wd_3":             {"Wed", "Mi.", "mer."},
	"wd_4":             {"Thu", "Do.", "jeu."},
	"wd_5":             {"Fri", "Fr.", "ven."},
	"wd_6":             {"Sat", "Sa.", "sam."},
	"mon_1":            {"Jan", "Jan.", "janv."},
	"mon_2":            {"Feb", "Feb.", "févr."},
	"mon_3":            {"Mar", "März", "mars"},
	"mon_4":            {"Apr", "Apr.", "avr."},
	"mon_5":            {"May", "Mai", "mai"},
	"mon_6":            {"Jun", "Juni", "juin"},
	"mon_7":            {"Jul", "Juli", "juil."},
	"mon_8":            {"Aug", "Aug.", "août"},
	"mon_9":            {"Sep", "Sept.", "sept."},
	"mon_10":           {"Oct", "Okt.", "oct."},
	"mon_11":           {"Nov", "Nov.", "nov."},
	"mon_12":           {"Dec", "Dez.", "déc."},
}

func knownLocale(loc string) bool { return loc == "en" || loc == "de" || loc == "fr" }

// lookup returns the string for key in the locale.
func lookup(loc, key string) (string, bool) {
	p, ok := catalog[key]
	if !ok {
		return "", false
	}
	switch loc {
	case "de":
		return p.de, true
	case "fr":
		return p.fr, true
	}
	return p.en, true
}

// text is lookup for strings the Go code builds (toasts, titles); a
// missing key shows as itself so a typo is visible, and a test checks
// every key used exists.
func text(loc, key string, name string) string {
	v, ok := lookup(loc, key)
	if !ok {
		return key
	}
	return strings.ReplaceAll(v, "{name}", name)
}

// stamp is a message time as LinkedIn shows it: the time today, the
// weekday within a week, the date before that.
func stamp(loc string, now, at time.Time) string {
	at = at.In(now.Location())
	y1, m1, d1 := now.Date()
	y2, m2, d2 := at.Date()
	switch {
	case y1 == y2 && m1 == m2 && d1 == d2:
		layout, _ := lookup(loc, "time_layout")
		return at.Format(layout)
	case now.Sub(at) < 6*24*time.Hour && now.After(at):
		wd, _ := lookup(loc, fmt.Sprintf("wd_%d", at.Weekday()))
		return wd
	}
	layout := "date_layout"
	if y1 != y2 {
		layout = "date_year_layout"
	}
	f, _ := lookup(loc, layout)
	mon, _ := lookup(loc, fmt.Sprintf("mon_%d", m2))
	return strings.NewReplacer("{mon}", mon, "{day}", fmt.Sprint(d2), "{year}", fmt.Sprint(y2)).Replace(f)
}

// sentAgo is how the invitation manager dates an invitation.
func sentAgo(loc string, now, at time.Time) string {
	days := int(now.Sub(at).Hours() / 24)
	switch {
	case days <= 0:
		return text(loc, "sent_today", "")
	case days == 1:
		return text(loc, "sent_yesterday", "")
	}
	return strings.ReplaceAll(text(loc, "sent_days", ""), "{n}", fmt.Sprint(days))
}
