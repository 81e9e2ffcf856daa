/* linli-diag-read-card.c: linli-diag read-card [--reader NAME] [--timeout S] [--json]
 *
 * Waits for a social-security card in a PC/SC reader (the one named by
 * --reader, else [devices] pcsc-reader, else any), reads it the way the
 * kiosk does and prints the identity, unmasked: the maintainer at the
 * kiosk holds the card. Exit 0 read, 1 no card in time / no pcscd / no
 * reader / an unreadable card (the reason on stderr), 2 bad usage.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-read-card.h"

#include <stdlib.h>

#include "linli-diag-identity.h"
#include "linli-pcsc-reader.h"
#include "linli-sscard.h"

#define EXIT_USAGE              2
#define DEFAULT_TIMEOUT_SECONDS 30
#define MAX_TIMEOUT_SECONDS     3600

static int G_GNUC_PRINTF (1, 2) read_card_usage (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("linli-diag: %s\nUsage: linli-diag [--config PATH] read-card [--reader NAME] "
              "[--timeout S] [--json]\n",
              message);
  return EXIT_USAGE;
}

/* What a maintainer should do about @error, in one line after it. */
static const char *
hint_for (const GError *error)
{
  if (g_error_matches (error, LINLI_PCSC_READER_ERROR, LINLI_PCSC_READER_ERROR_NO_SERVICE))
    return "start pcscd (systemctl start pcscd.socket) and try again";
  if (g_error_matches (error, LINLI_PCSC_READER_ERROR, LINLI_PCSC_READER_ERROR_NO_READER))
    return "check the reader's cable; “linli-diag devices” lists the readers pcscd sees";
  if (error->domain == LINLI_SSCARD_ERROR)
    {
      if (error->code == LINLI_SSCARD_ERROR_NOT_SSCARD)
        return "this is not a social-security card";
      if (error->code == LINLI_SSCARD_ERROR_TRANSPORT)
        return "leave the card in the reader until it has been read";
      return "the card is damaged or of a kind the kiosk does not know: send the resident to "
             "the counter";
    }
  return NULL;
}

int
linli_diag_read_card (LinliConfig *config, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliDevice) device = NULL;
  g_autoptr (LinliIdentity) identity = NULL;
  g_autofree char *reader_name = NULL;
  gboolean json = FALSE;
  int timeout = DEFAULT_TIMEOUT_SECONDS;
  const GOptionEntry entries[] = {
    { "reader", 0, 0, G_OPTION_ARG_STRING, &reader_name,
      "The PC/SC reader (default: [devices] pcsc-reader, else any reader)", "NAME" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Seconds to wait for a card (default: 30)",
      "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL },
  };
  const char *hint;

  /* A copy the parser may rearrange and free from (argv is NULL-ended). */
  g_auto (GStrv) args = g_strdupv (argv);

  g_return_val_if_fail (argc >= 1 && argv[argc] == NULL, EXIT_USAGE);

  context = g_option_context_new ("— read a social-security card through PC/SC");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, &error))
    return read_card_usage ("%s", error->message);
  if (g_strv_length (args) > 1)
    return read_card_usage ("unexpected argument “%s”", args[1]);
  if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS)
    return read_card_usage ("--timeout must be between 1 and %d seconds", MAX_TIMEOUT_SECONDS);
  if (reader_name == NULL)
    reader_name = g_strdup (linli_config_get_string (config, "devices", "pcsc-reader"));

  device = linli_pcsc_reader_new (reader_name);
  identity = linli_pcsc_reader_read_once (LINLI_PCSC_READER (device), (guint) timeout * 1000, NULL,
                                          &error);
  if (identity == NULL)
    {
      g_printerr ("linli-diag: %s\n", error->message);
      hint = hint_for (error);
      if (hint != NULL)
        g_printerr ("linli-diag: %s\n", hint);
      return EXIT_FAILURE;
    }

  linli_diag_identity_print (identity, json);
  return EXIT_SUCCESS;
}
