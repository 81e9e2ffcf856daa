/* test-printout.c: what a journey shows, speaks and offers as a QR code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "linli-printout-private.h"

#include <string.h>

static LinliReceipt *
info_receipt (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliReceipt) receipt = linli_receipt_new ("medical-balance", &error);

  g_assert_no_error (error);
  g_assert_true (linli_receipt_set (receipt, "county", "示例县", &error));
  g_assert_true (linli_receipt_set (receipt, "centre", "示例社区服务中心", &error));
  g_assert_true (linli_receipt_set (receipt, "name", "王*明", &error));
  g_assert_true (linli_receipt_set (receipt, "id_number", "1101**********123X", &error));
  g_assert_true (linli_receipt_set (receipt, "lines", "账户余额\t1280.50 元", &error));
  g_assert_true (linli_receipt_set (receipt, "datetime", "2026-11-23 10:00", &error));
  g_assert_true (linli_receipt_set (receipt, "kiosk_id", "LL-TEST-0001", &error));
  return g_steal_pointer (&receipt);
}

static void
test_lines_and_speech (void)
{
  g_autoptr (LinliPrintout) printout = linli_printout_new ("医保账户", info_receipt ());
  g_autofree char *spoken = NULL;
  const char *label, *value, *line_spoken;

  linli_printout_add_line (printout, "账户余额", "1280.50 元", "账户余额，一千二百八十元五角");
  linli_printout_add_line (printout, "医保类别", "职工医保", NULL);
  linli_printout_set_note (printout, "如需带走这份记录，请点“打印”。");
  g_assert_cmpstr (linli_printout_get_title (printout), ==, "医保账户");
  g_assert_cmpuint (linli_printout_get_n_lines (printout), ==, 2);
  linli_printout_get_line (printout, 1, &label, &value, &line_spoken);
  g_assert_cmpstr (label, ==, "医保类别");
  g_assert_cmpstr (value, ==, "职工医保");
  g_assert_null (line_spoken);
  g_assert_true (linli_printout_get_printable (printout));
  g_assert_null (linli_printout_get_number (printout));

  /* A line's spoken form replaces its written one; the others are read as
   * label and value. */
  spoken = linli_printout_get_spoken (printout);
  g_assert_cmpstr (spoken, ==,
                   "医保账户。账户余额，一千二百八十元五角。医保类别，职工医保。"
                   "如需带走这份记录，请点“打印”。");
  g_assert_null (strstr (spoken, "1280.50"));
}

static void
test_not_printable (void)
{
  g_autoptr (LinliPrintout) printout = linli_printout_new ("您的办件", NULL);

  g_assert_false (linli_printout_get_printable (printout));
  g_assert_cmpuint (linli_printout_get_n_lines (printout), ==, 0);
}

/* Offered on screen: the look-up address when the receipt has one, its
 * text otherwise; the two give different codes. */
static void
test_qr (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPrintout) text_printout = linli_printout_new ("医保账户", info_receipt ());
  g_autoptr (LinliReceipt) application = linli_receipt_new ("application", &error);
  g_autoptr (LinliPrintout) address_printout = NULL;
  g_autoptr (GBytes) by_text = NULL;
  g_autoptr (GBytes) by_address = NULL;
  g_autoptr (GBytes) address_alone = NULL;
  int text_size = 0, address_size = 0, alone_size = 0;

  g_assert_no_error (error);
  by_text = linli_printout_render_qr (text_printout, 2, &text_size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (by_text), ==, (gsize) text_size * text_size * 3);

  g_assert_true (
      linli_receipt_set (application, "qr", "https://gov.example/a/330102-20261123-0001", &error));
  address_printout = linli_printout_new ("办件回执", g_steal_pointer (&application));
  by_address = linli_printout_render_qr (address_printout, 2, &address_size, &error);
  g_assert_no_error (error);
  address_alone = linli_receipt_qr_pixels ("https://gov.example/a/330102-20261123-0001", 2,
                                           &alone_size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (address_size, ==, alone_size);
  g_assert_true (g_bytes_equal (by_address, address_alone));
  /* The text of a receipt is longer than an address: a bigger code. */
  g_assert_cmpint (text_size, >, address_size);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/printout/lines-and-speech", test_lines_and_speech);
  g_test_add_func ("/printout/not-printable", test_not_printable);
  g_test_add_func ("/printout/qr", test_qr);
  return g_test_run ();
}
