/* test-receipt-samples.h — fictitious field values for every receipt template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by tests/devices/test-receipt.c and tests/bench/bench-receipt.c.
 * Names and ID numbers are made up and masked, as the kiosk hands them over.
 */
#pragma once

#include <glib.h>

typedef struct
{
  const char *key;
  const char *value;
} ReceiptSampleField;

typedef struct
{
  const char *template_name;
  ReceiptSampleField fields[16];
  /* Lines pdftotext must find (whitespace ignored). */
  const char *expected[12];
} ReceiptSample;

#define SAMPLE_MASKED_ID   "3701**********123X"
#define SAMPLE_MASKED_NAME "王*明"
/* A valid-looking full ID number (GB 11643 check digit) that must never
 * appear. */
#define SAMPLE_FULL_ID "37010219500101123X"

static const ReceiptSample receipt_samples[] = {
  { "application",
    { { "county", "历城县" },
      { "centre", "东风街道社区服务中心" },
      { "kiosk_id", "LC-0042" },
      { "datetime", "2024-05-01 09:30" },
      { "item", "城乡居民养老保险参保登记" },
      { "name", SAMPLE_MASKED_NAME },
      { "id_number", SAMPLE_MASKED_ID },
      { "staff", "李*" },
      { "application_number", "SQ2024050100123" },
      { "qr", "https://zwfw.example.cn/q?n=SQ2024050100123" },
      { "notes", "请携带户口簿原件到窗口核验。" } },
    { "历城县", "办件回执", "城乡居民养老保险参保登记", SAMPLE_MASKED_NAME, SAMPLE_MASKED_ID,
      "SQ2024050100123", "扫码或凭办件编号查询办理进度", "LC-0042", "2024-05-0109:30",
      "请携带户口簿原件到窗口核验。" } },
  { "payment",
    { { "county", "历城县" },
      { "centre", "东风街道社区服务中心" },
      { "kiosk_id", "LC-0042" },
      { "datetime", "2024-05-01 09:35" },
      { "item", "水费" },
      { "name", "王*明" },
      { "account", "0012****89" },
      { "lines", "2024年3月\t¥ 23.40\n2024年4月\t¥ 21.20" },
      { "amount", "¥ 44.60" },
      { "order_number", "PO20240501000077" },
      { "transaction_id", "4200001234202405011234567890" },
      { "qr", "https://zwfw.example.cn/p?o=PO20240501000077" } },
    { "缴费凭证", "水费", "¥44.60", "PO20240501000077", "2024年3月", "¥23.40",
      "4200001234202405011234567890", "请妥善保管本凭证" } },
  { "insured-certificate",
    { { "county", "历城县人力资源和社会保障局" },
      { "name", SAMPLE_MASKED_NAME },
      { "id_number", SAMPLE_MASKED_ID },
      { "item", "城乡居民基本养老保险" },
      { "status", "正常参保" },
      { "lines", "参保起止\t缴费月数\n2010-01 至 2024-04\t172" },
      { "statement", "兹证明该参保人在本县参加城乡居民基本养老保险，参保状态正常。" },
      { "verification_code", "7K3Q-9XPM" },
      { "qr", "https://zwfw.example.cn/v?c=7K3Q-9XPM" },
      { "issuer", "历城县社会保险事业中心" },
      { "datetime", "2024-05-01 09:40" },
      { "kiosk_id", "LC-0042" } },
    { "参保证明", SAMPLE_MASKED_NAME, SAMPLE_MASKED_ID, "正常参保", "7K3Q-9XPM", "172",
      "历城县社会保险事业中心", "参保状态正常" } },
  { "certification",
    { { "county", "历城县" },
      { "centre", "东风街道社区服务中心" },
      { "kiosk_id", "LC-0042" },
      { "datetime", "2024-05-01 09:45" },
      { "name", SAMPLE_MASKED_NAME },
      { "id_number", SAMPLE_MASKED_ID },
      { "status", "已提交，等待审核" },
      { "certification_id", "RZ2024050100009" },
      { "qr", "https://zwfw.example.cn/c?i=RZ2024050100009" } },
    { "养老金资格认证回执", SAMPLE_MASKED_NAME, SAMPLE_MASKED_ID, "RZ2024050100009",
      "已提交，等待审核", "LC-0042" } },
  { "info",
    { { "county", "历城县" },
      { "centre", "东风街道社区服务中心" },
      { "kiosk_id", "LC-0042" },
      { "datetime", "2024-05-01 09:50" },
      { "item", "医保账户余额" },
      { "name", SAMPLE_MASKED_NAME },
      { "lines", "个人账户余额\t¥ 1,234.56\n本年已用\t¥ 210.00" } },
    { "查询结果", "医保账户余额", "个人账户余额", "¥1,234.56", "本年已用", "¥210.00" } },
  { "print-test",
    { { "kiosk_id", "LC-0042" },
      { "datetime", "2024-05-01 08:00" },
      { "version", "0.1.0" },
      { "printer", "kiosk-receipt" },
      { "qr", "linli print test LC-0042" } },
    { "打印测试/printtest", "LC-0042", "0.1.0", "kiosk-receipt", "0123456789" } },
};
