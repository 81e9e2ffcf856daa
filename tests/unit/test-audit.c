/* test-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit log in a real SQLite file: records chain, survive a reopen,
 * and every kind of tampering done with SQL on the file (edit, delete,
 * insert, rehash of one record) is found at the right record.
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "linli-audit.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("linli-audit-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "state", "audit.db", NULL);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
fill (LinliAudit *audit, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *detail = g_strdup_printf ("step %u", i);

      g_assert_true (linli_audit_append (
          audit, i % 2 ? LINLI_AUDIT_ACTOR_MAINTAINER : LINLI_AUDIT_ACTOR_SYSTEM, "test-action",
          detail, &error));
      g_assert_no_error (error);
    }
}

/* Tampering the way someone with the file would: the sqlite3 statements
 * on a second connection, after dropping the append-only triggers. */
static void
tamper (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
test_chain (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliAudit) audit = linli_audit_open (fixture->path, &error);
  g_autoptr (GPtrArray) recent = NULL;
  LinliAuditRecord *newest, *older;
  gint64 n = 0;
  struct stat st;

  g_assert_no_error (error);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  fill (audit, 5);
  g_assert_true (linli_audit_verify (audit, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 5);

  recent = linli_audit_recent (audit, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recent->len, ==, 2);
  newest = g_ptr_array_index (recent, 0);
  older = g_ptr_array_index (recent, 1);
  g_assert_cmpint (newest->id, ==, 5);
  g_assert_cmpstr (newest->detail, ==, "step 4");
  g_assert_cmpstr (newest->actor, ==, "system");
  g_assert_cmpstr (older->actor, ==, "maintainer");
  g_assert_cmpstr (newest->prev_hash, ==, older->hash);
  g_assert_cmpuint (strlen (newest->hash), ==, 64);

  /* A second kiosk run goes on from the same chain. */
  g_clear_object (&audit);
  audit = linli_audit_open (fixture->path, &error);
  g_assert_no_error (error);
  fill (audit, 2);
  g_assert_true (linli_audit_verify (audit, &n, NULL, &error));
  g_assert_cmpint (n, ==, 7);
}

static void
test_append_only (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliAudit) audit = linli_audit_open (fixture->path, &error);
  sqlite3 *db = NULL;

  fill (audit, 2);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE records SET detail = 'x'", NULL, NULL, NULL), !=,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM records", NULL, NULL, NULL), !=, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (linli_audit_verify (audit, NULL, NULL, &error));
}

typedef struct
{
  const char *name;
  const char *sql;
  gint64 bad_id;
} Tampering;

static const Tampering tamperings[] = {
  { "edit-detail", "UPDATE records SET detail = 'nothing happened' WHERE id = 3", 3 },
  { "edit-actor", "UPDATE records SET actor = 'staff' WHERE id = 2", 2 },
  { "edit-time", "UPDATE records SET time = time + 1 WHERE id = 5", 5 },
  { "delete-middle", "DELETE FROM records WHERE id = 4", 5 },
  { "delete-first", "DELETE FROM records WHERE id = 1", 2 },
  /* A rewritten record with a correct own hash still breaks the next link. */
  { "rehash",
    "UPDATE records SET detail = 'x', hash = "
    "'1111111111111111111111111111111111111111111111111111111111111111'"
    " WHERE id = 3",
    3 },
  { "insert-forged",
    "INSERT INTO records (id, time, actor, action, detail, prev_hash, hash)"
    " VALUES (7, 0, 'system', 'forged', '', 'aa', 'bb')",
    7 },
};

static void
test_tampering (Fixture *fixture, gconstpointer data)
{
  const Tampering *tampering = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliAudit) audit = linli_audit_open (fixture->path, &error);
  g_autofree char *sql = g_strdup_printf ("DROP TRIGGER records_no_update;"
                                          "DROP TRIGGER records_no_delete; %s",
                                          tampering->sql);
  gint64 bad_id = 0;

  fill (audit, 6);
  g_assert_true (linli_audit_verify (audit, NULL, NULL, &error));
  tamper (fixture->path, sql);
  g_assert_false (linli_audit_verify (audit, NULL, &bad_id, &error));
  g_assert_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_BROKEN_CHAIN);
  g_assert_cmpint (bad_id, ==, tampering->bad_id);
}

static void
test_not_an_audit (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliAudit) audit = NULL;
  g_autofree char *parent = g_path_get_dirname (fixture->path);

  g_mkdir_with_parents (parent, 0700);
  tamper (fixture->path, "CREATE TABLE other (x)");
  audit = linli_audit_open (fixture->path, &error);
  g_assert_null (audit);
  g_assert_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_NOT_AN_AUDIT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/audit/chain", Fixture, NULL, fixture_set_up, test_chain, fixture_tear_down);
  g_test_add ("/audit/append-only", Fixture, NULL, fixture_set_up, test_append_only,
              fixture_tear_down);
  g_test_add ("/audit/not-an-audit", Fixture, NULL, fixture_set_up, test_not_an_audit,
              fixture_tear_down);
  for (gsize i = 0; i < G_N_ELEMENTS (tamperings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/audit/tampering/%s", tamperings[i].name);
      g_test_add (path, Fixture, &tamperings[i], fixture_set_up, test_tampering, fixture_tear_down);
    }
  return g_test_run ();
}
