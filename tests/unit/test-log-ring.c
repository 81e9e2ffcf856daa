/* test-log-ring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The log ring: capacity, levels, error count, the redaction safety net,
 * and the installed writer (messages kept and still passed on).
 */
#define G_LOG_DOMAIN "linli-test"

#include "linli-log-ring.h"

static void
test_redact (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "card 11010519491231002X read", "card [redacted] read" },
    { "id 110105194912310021", "id [redacted]" },
    { "old id 110105491231002 here", "old id [redacted] here" },
    { "call 13812345678 now", "call [redacted] now" },
    { "call +86 138-1234-5678", "call [redacted]" },
    { "desk 0531-88886666", "desk [redacted]" },
    /* Not personal: times, counts, longer hex runs, short numbers. */
    { "session 12 ended after 1700000000123 us", "session 12 ended after 1700000000123 us" },
    { "chain 3f1101051949123100213a", "chain 3f1101051949123100213a" },
    { "printer job 1234 completed", "printer job 1234 completed" },
    { "no digits", "no digits" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = linli_log_redact (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_ring (void)
{
  g_autoptr (LinliLogRing) ring = linli_log_ring_new (3);
  g_autoptr (GPtrArray) entries = NULL;
  LinliLogEntry *entry;

  linli_log_ring_add (ring, G_LOG_LEVEL_DEBUG, "d", "not kept");
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *message = g_strdup_printf ("message %d", i);
      linli_log_ring_add (ring, i == 4 ? G_LOG_LEVEL_WARNING : G_LOG_LEVEL_INFO, "linli-test",
                          message);
    }
  linli_log_ring_add (ring, G_LOG_LEVEL_CRITICAL, "linli-test", "resident 13812345678");
  entries = linli_log_ring_dup_entries (ring);
  g_assert_cmpuint (entries->len, ==, 3);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->message, ==, "message 3");
  entry = g_ptr_array_index (entries, 2);
  g_assert_cmpstr (entry->message, ==, "resident [redacted]");
  g_assert_cmpstr (linli_log_level_to_string (entry->level), ==, "critical");
  g_assert_cmpstr (entry->domain, ==, "linli-test");
  g_assert_cmpuint (linli_log_ring_get_error_count (ring), ==, 2);
}

static void
test_installed (void)
{
  LinliLogRing *ring = linli_log_ring_new (LINLI_LOG_RING_CAPACITY);
  g_autoptr (GPtrArray) entries = NULL;
  LinliLogEntry *last;

  linli_log_ring_install (ring);
  g_object_unref (ring);
  g_assert_true (linli_log_ring_get_default () == ring);
  g_message ("maintenance test 110105194912310021");
  entries = linli_log_ring_dup_entries (ring);
  g_assert_cmpuint (entries->len, >=, 1);
  last = g_ptr_array_index (entries, entries->len - 1);
  g_assert_cmpstr (last->message, ==, "maintenance test [redacted]");
  g_assert_cmpstr (last->domain, ==, "linli-test");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/log-ring/redact", test_redact);
  g_test_add_func ("/log-ring/ring", test_ring);
  g_test_add_func ("/log-ring/installed", test_installed);
  return g_test_run ();
}
