/* linli-diag-hash-pin.c: linli-diag hash-pin and linli-diag audit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   echo 246810 | linli-diag hash-pin
 *   linli-diag [--config PATH] audit [-n N]
 *
 * hash-pin reads the PIN from stdin (never from the command line, where
 * it would be in the shell's history and in ps) and prints the line for
 * the [maintenance] group. audit shows the newest records of the audit log
 * and verifies the chain from its first record.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-hash-pin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linli-audit.h"
#include "linli-maintainer-auth.h"

#define EXIT_USAGE 2

int
linli_diag_hash_pin (LinliConfig *config, int argc, char **argv)
{
  char line[64] = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = NULL;

  if (argc != 1)
    {
      g_printerr ("Usage: echo PIN | linli-diag hash-pin\n");
      return EXIT_USAGE;
    }
  if (fgets (line, sizeof line, stdin) == NULL)
    {
      g_printerr ("linli-diag: hash-pin: no PIN on stdin\n");
      return EXIT_FAILURE;
    }
  line[strcspn (line, "\r\n")] = '\0';
  hash = linli_maintainer_auth_hash_pin (line, &error);
  explicit_bzero (line, sizeof line);
  if (hash == NULL)
    {
      g_printerr ("linli-diag: hash-pin: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print ("pin-hash=%s\n", hash);
  return EXIT_SUCCESS;
}

int
linli_diag_audit (LinliConfig *config, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("— the maintenance audit log");
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = g_new0 (char *, argc + 1);
  g_autoptr (LinliAudit) audit = NULL;
  g_autoptr (GPtrArray) records = NULL;
  int n = 20;
  gint64 n_records = 0, bad_id = 0;
  const GOptionEntry entries[] = {
    { "number", 'n', 0, G_OPTION_ARG_INT, &n, "How many of the newest records (default 20)", "N" },
    { NULL },
  };

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, &error) || g_strv_length (args) != 1 || n < 0)
    {
      g_printerr ("Usage: linli-diag [--config PATH] audit [-n N]\n");
      return EXIT_USAGE;
    }
  audit = linli_audit_open (linli_config_get_string (config, "maintenance", "audit-db"), &error);
  if (audit == NULL)
    {
      g_printerr ("linli-diag: audit: %s\n", error->message);
      return EXIT_FAILURE;
    }
  records = linli_audit_recent (audit, (guint) n, &error);
  if (records == NULL)
    {
      g_printerr ("linli-diag: audit: %s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = records->len; i > 0; i--)
    {
      LinliAuditRecord *record = g_ptr_array_index (records, i - 1);
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (record->time / G_USEC_PER_SEC);
      g_autoptr (GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

      g_print ("%6" G_GINT64_FORMAT "  %s  %-10s %-22s %s\n", record->id, when, record->actor,
               record->action, record->detail);
    }
  if (!linli_audit_verify (audit, &n_records, &bad_id, &error))
    {
      g_print ("chain BROKEN: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print ("chain whole: %" G_GINT64_FORMAT " records%s%.16s\n", n_records,
           records->len > 0 ? ", newest hash " : "",
           records->len > 0 ? ((LinliAuditRecord *) g_ptr_array_index (records, 0))->hash : "");
  return EXIT_SUCCESS;
}
