/* test-receipt-index.c: receipts kept by number, on a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "linli-receipt-index.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

static char *
temp_path (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("linli-receipt-index-XXXXXX", &error);

  g_assert_no_error (error);
  /* A directory that does not exist yet: the index makes it, 0700. */
  return g_build_filename (dir, "state", "receipts.sqlite", NULL);
}

static LinliReceipt *
payment_receipt (const char *order, const char *amount)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = linli_receipt_new ("payment", &error);

  g_assert_no_error (error);
  g_assert_true (linli_receipt_set (receipt, "county", "示例县", &error));
  g_assert_true (linli_receipt_set (receipt, "centre", "示例社区服务中心", &error));
  g_assert_true (linli_receipt_set (receipt, "item", "水费缴纳", &error));
  g_assert_true (linli_receipt_set (receipt, "name", "王*明", &error));
  g_assert_true (linli_receipt_set (receipt, "amount", amount, &error));
  g_assert_true (linli_receipt_set (receipt, "order_number", order, &error));
  g_assert_true (linli_receipt_set (receipt, "datetime", "2026-11-23 10:00", &error));
  g_assert_true (linli_receipt_set (receipt, "kiosk_id", "LL-TEST-0001", &error));
  return g_steal_pointer (&receipt);
}

static void
test_round_trip (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceiptIndex) index = linli_receipt_index_open (path, 30, &error);
  g_autoptr (LinliReceipt) kept = payment_receipt ("PO20261123000001", "27.80 元");
  g_autoptr (LinliReceipt) again = NULL;
  g_autoptr (LinliReceipt) missing = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_true (linli_receipt_index_put (index, "PO20261123000001", kept, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (linli_receipt_index_count (index), ==, 1);

  /* Read back in another open of the file: the same receipt, field by field. */
  g_clear_object (&index);
  index = linli_receipt_index_open (path, 30, &error);
  g_assert_no_error (error);
  again = linli_receipt_index_get (index, "PO20261123000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (linli_receipt_get_template_name (again), ==, "payment");
  for (const char *const *field = linli_receipt_get_fields (kept); *field != NULL; field++)
    g_assert_cmpstr (linli_receipt_get (again, *field), ==, linli_receipt_get (kept, *field));

  /* The same number again replaces the receipt. */
  g_clear_object (&kept);
  kept = payment_receipt ("PO20261123000001", "30.00 元");
  g_assert_true (linli_receipt_index_put (index, "PO20261123000001", kept, &error));
  g_clear_object (&again);
  again = linli_receipt_index_get (index, "PO20261123000001", &error);
  g_assert_cmpstr (linli_receipt_get (again, "amount"), ==, "30.00 元");
  g_assert_cmpuint (linli_receipt_index_count (index), ==, 1);

  missing = linli_receipt_index_get (index, "PO00000000000000", &error);
  g_assert_null (missing);
  g_assert_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_NOT_FOUND);
}

static void
test_bad_numbers (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceiptIndex) index = linli_receipt_index_open (path, 30, &error);
  g_autoptr (LinliReceipt) receipt = payment_receipt ("PO20261123000001", "27.80 元");
  const char *bad[] = { "", "PO1", "PO2026 1123", "PO'; DROP TABLE receipts; --", "订单12345" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (LinliReceipt) none = NULL;

      g_assert_false (linli_receipt_index_put (index, bad[i], receipt, &error));
      g_assert_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_INVALID);
      g_clear_error (&error);
      none = linli_receipt_index_get (index, bad[i], &error);
      g_assert_null (none);
      g_assert_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpuint (linli_receipt_index_count (index), ==, 0);
}

/* A row edited behind the kiosk's back (a full ID number slipped in) is
 * refused when read, as the receipt refuses it when set. */
static void
test_tampered_row (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceiptIndex) index = linli_receipt_index_open (path, 30, &error);
  g_autoptr (LinliReceipt) receipt = payment_receipt ("PO20261123000002", "27.80 元");
  g_autoptr (LinliReceipt) read = NULL;
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_true (linli_receipt_index_put (index, "PO20261123000002", receipt, &error));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE receipts SET fields = json_set(fields, '$.name', "
                                 "'110101199003071234')",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  read = linli_receipt_index_get (index, "PO20261123000002", &error);
  g_assert_null (read);
  g_assert_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE receipts SET fields = '[1, 2'", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  read = linli_receipt_index_get (index, "PO20261123000002", &error);
  g_assert_null (read);
  g_assert_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_INVALID);
}

/* Kept for the configured days, then gone. */
static void
test_purge (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceiptIndex) index = linli_receipt_index_open (path, 30, &error);
  g_autoptr (LinliReceipt) receipt = payment_receipt ("PO20261123000003", "27.80 元");
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) in_29_days = g_date_time_add_days (now, 29);
  g_autoptr (GDateTime) in_31_days = g_date_time_add_days (now, 31);

  g_assert_no_error (error);
  g_assert_true (linli_receipt_index_put (index, "PO20261123000003", receipt, &error));
  g_assert_cmpuint (linli_receipt_index_purge (index, in_29_days, &error), ==, 0);
  g_assert_cmpuint (linli_receipt_index_count (index), ==, 1);
  g_assert_cmpuint (linli_receipt_index_purge (index, in_31_days, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (linli_receipt_index_count (index), ==, 0);
}

/* A file from a newer kiosk is refused rather than misread. */
static void
test_newer_schema (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceiptIndex) index = linli_receipt_index_open (path, 30, &error);
  g_autoptr (LinliReceiptIndex) refused = NULL;
  sqlite3 *db;

  g_assert_no_error (error);
  g_clear_object (&index);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 9", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  refused = linli_receipt_index_open (path, 30, &error);
  g_assert_null (refused);
  g_assert_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_FAILED);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/receipt-index/round-trip", test_round_trip);
  g_test_add_func ("/receipt-index/bad-numbers", test_bad_numbers);
  g_test_add_func ("/receipt-index/tampered-row", test_tampered_row);
  g_test_add_func ("/receipt-index/purge", test_purge);
  g_test_add_func ("/receipt-index/newer-schema", test_newer_schema);
  return g_test_run ();
}
