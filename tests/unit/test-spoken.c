/* Unit tests of the spoken forms of values, and of the sanitizer.
 *
 * The /spoken/espeak/ cases run the real espeak-ng and are registered only
 * when LINLI_SPOKEN_ESPEAK is set (meson's test-spoken-espeak sets it to the
 * path it found, or to "" when espeak-ng is missing: a skip, but a failure
 * when $CI is set, since CI installs it). */
#include "linli-spoken.h"

#include <gio/gio.h>

typedef struct
{
  gint64 value;
  const char *zh;
  const char *en;
} NumberCase;

static void
test_number (void)
{
  static const NumberCase cases[] = {
    { 0, "零", "0" },
    { 1, "一", "1" },
    { 2, "二", "2" },
    { 10, "十", "10" },
    { 11, "十一", "11" },
    { 15, "十五", "15" },
    { 20, "二十", "20" },
    { 22, "二十二", "22" },
    { 100, "一百", "100" },
    { 101, "一百零一", "101" },
    { 110, "一百一十", "110" },
    { 200, "二百", "200" },
    { 1000, "一千", "1000" },
    { 1001, "一千零一", "1001" },
    { 1010, "一千零一十", "1010" },
    { 1100, "一千一百", "1100" },
    { 2000, "两千", "2000" },
    { 2222, "两千二百二十二", "2222" },
    { 10000, "一万", "10000" },
    { 10001, "一万零一", "10001" },
    { 10010, "一万零一十", "10010" },
    { 10100, "一万零一百", "10100" },
    { 12000, "一万两千", "12000" },
    { 20000, "两万", "20000" },
    { 100000, "十万", "100000" },
    { 110000, "十一万", "110000" },
    { 120000, "十二万", "120000" },
    { 1000000, "一百万", "1000000" },
    { 10000000, "一千万", "10000000" },
    { 100000000, "一亿", "100000000" },
    { 100000001, "一亿零一", "100000001" },
    { 100010000, "一亿零一万", "100010000" },
    { 110000000, "一亿一千万", "110000000" },
    { 200000000, "两亿", "200000000" },
    { 1000000000000, "一万亿", "1000000000000" },
    { 1000500000000, "一万零五亿", "1000500000000" },
    { -5, "负五", "minus 5" },
    { -1010, "负一千零一十", "minus 1010" },
    { G_MAXINT64, "九百二十二亿三千三百七十二万零三百六十八亿五千四百七十七万五千八百零七",
      "9223372036854775807" },
    { G_MININT64, "负九百二十二亿三千三百七十二万零三百六十八亿五千四百七十七万五千八百零八",
      "minus 9223372036854775808" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zh = linli_spoken_number (cases[i].value, "zh_CN");
      g_autofree char *en = linli_spoken_number (cases[i].value, "en_GB");
      g_autofree char *fallback = linli_spoken_number (cases[i].value, NULL);

      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
      g_assert_cmpstr (fallback, ==, cases[i].zh);
    }
}

static void
test_amount (void)
{
  static const NumberCase cases[] = {
    { 0, "零元", "0 yuan" },
    { 1, "一分", "1 fen" },
    { 2, "两分", "2 fen" },
    { 10, "一角", "10 fen" },
    { 20, "两角", "20 fen" },
    { 22, "两角二分", "22 fen" },
    { 45, "四角五分", "45 fen" },
    { 100, "一元", "1 yuan" },
    { 120, "一元二角", "1 yuan and 20 fen" },
    { 200, "两元", "2 yuan" },
    { 202, "两元零二分", "2 yuan and 2 fen" },
    { 1000, "十元", "10 yuan" },
    { 1200, "十二元", "12 yuan" },
    { 2005, "二十元零五分", "20 yuan and 5 fen" },
    { 10000, "一百元", "100 yuan" },
    { 10100, "一百零一元", "101 yuan" },
    { 12345, "一百二十三元四角五分", "123 yuan and 45 fen" },
    { 100000, "一千元", "1000 yuan" },
    { 100507, "一千零五元零七分", "1005 yuan and 7 fen" },
    { 101000, "一千零一十元", "1010 yuan" },
    { 200000, "两千元", "2000 yuan" },
    { 1000000, "一万元", "10000 yuan" },
    { 10000000000, "一亿元", "100000000 yuan" },
    { -12345, "负一百二十三元四角五分", "minus 123 yuan and 45 fen" },
    { -5, "负五分", "minus 5 fen" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zh = linli_spoken_amount (cases[i].value, "zh_CN");
      g_autofree char *en = linli_spoken_amount (cases[i].value, "en");

      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_amount_extremes (void)
{
  g_autofree char *max_zh = linli_spoken_amount (G_MAXINT64, "zh_CN");
  g_autofree char *min_zh = linli_spoken_amount (G_MININT64, "zh_CN");
  g_autofree char *max_en = linli_spoken_amount (G_MAXINT64, "en");
  g_autofree char *min_en = linli_spoken_amount (G_MININT64, "en");

  g_assert_true (g_str_has_suffix (max_zh, "元零七分"));
  g_assert_true (g_str_has_prefix (min_zh, "负"));
  g_assert_true (g_str_has_suffix (min_zh, "元零八分"));
  g_assert_cmpstr (max_en, ==, "92233720368547758 yuan and 7 fen");
  g_assert_cmpstr (min_en, ==, "minus 92233720368547758 yuan and 8 fen");
}

typedef struct
{
  const char *input;
  const char *zh;
  const char *en;
} TextCase;

static void
test_digits (void)
{
  static const TextCase cases[] = {
    /* an 18-digit ID: area, birth date, order and check */
    { "110101199003074258", "幺幺零幺零幺，幺九九零零三零七，四二五八",
      "one one zero one zero one, one nine nine zero zero three zero seven, four two five eight" },
    { "11010119900307425X", "幺幺零幺零幺，幺九九零零三零七，四二五叉",
      "one one zero one zero one, one nine nine zero zero three zero seven, four two five X" },
    { "11010119900307425x", "幺幺零幺零幺，幺九九零零三零七，四二五叉",
      "one one zero one zero one, one nine nine zero zero three zero seven, four two five X" },
    /* the old 15-digit ID */
    { "110101900307425", "幺幺零幺零幺，九零零三零七，四二五",
      "one one zero one zero one, nine zero zero three zero seven, four two five" },
    { "13800138000", "幺三八，零零幺三，八零零零",
      "one three eight, zero zero one three, eight zero zero zero" },
    /* the value's own groups */
    { "6222 0200-1234 5678 901", "六二二二，零二零零，幺二三四，五六七八，九零幺",
      "six two two two, zero two zero zero, one two three four, five six seven eight, nine zero "
      "one" },
    { "6222020012345678901", "六二二二，零二零零，幺二三四，五六七八，九零幺",
      "six two two two, zero two zero zero, one two three four, five six seven eight, nine zero "
      "one" },
    { "123456", "幺二三，四五六", "one two three, four five six" },
    { "1234567", "幺二三四，五六七", "one two three four, five six seven" },
    { "0219", "零二幺九", "zero two one nine" },
    /* masked values */
    { "3701**********123X", "三七零幺，中间隐藏，幺二三叉",
      "three seven zero one, hidden digits, one two three X" },
    { "****1234", "前面隐藏，幺二三四", "hidden digits, one two three four" },
    { "1234＊＊＊＊", "幺二三四，后面隐藏", "one two three four, hidden digits" },
    { "****", "全部隐藏", "all digits hidden" },
    /* what is not a digit is skipped */
    { "", "", "" },
    { "abc", "", "" },
    { "№ 12a3!", "幺二三", "one two three" },
    { "12\xff\xfe"
      "34",
      "幺二三四", "one two three four" },
    { "１２３", "幺二三", "one two three" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zh = linli_spoken_digits (cases[i].input, "zh_CN");
      g_autofree char *en = linli_spoken_digits (cases[i].input, "en");

      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_digits_malformed (void)
{
  g_autofree char *null_zh = linli_spoken_digits (NULL, "zh_CN");
  GString *huge = g_string_new (NULL);
  g_autofree char *huge_zh = NULL;
  g_autofree char *huge_en = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpstr (null_zh, ==, "");

  /* a megabyte of digits, with invalid bytes and masks in it */
  for (guint i = 0; i < 1024 * 1024 / 8; i++)
    g_string_append (huge, i % 1000 == 999 ? "1\xff*3\xc0"
                                             "567"
                                           : "12345678");
  huge_zh = linli_spoken_digits (huge->str, "zh_CN");
  huge_en = linli_spoken_digits (huge->str, "en");
  g_string_free (huge, TRUE);

  /* 64 digits, as 16 groups of four, then the rest is left out */
  expected = g_strjoinv (
      "，", (char *[]){ "幺二三四", "五六七八", "幺二三四", "五六七八", "幺二三四", "五六七八",
                        "幺二三四", "五六七八", "幺二三四", "五六七八", "幺二三四", "五六七八",
                        "幺二三四", "五六七八", "幺二三四", "五六七八", "以下省略", NULL });
  g_assert_cmpstr (huge_zh, ==, expected);
  g_assert_true (g_str_has_suffix (huge_en, "five six seven eight, and more digits"));
}

static void
test_date (void)
{
  static const struct
  {
    int year, month, day;
    const char *zh;
    const char *en;
  } cases[] = {
    { 2026, 11, 23, "二〇二六年十一月二十三日", "23 November 2026" },
    { 2000, 1, 1, "二〇〇〇年一月一日", "1 January 2000" },
    { 2024, 2, 29, "二〇二四年二月二十九日", "29 February 2024" },
    { 1949, 10, 10, "一九四九年十月十日", "10 October 1949" },
    { 1990, 12, 31, "一九九〇年十二月三十一日", "31 December 1990" },
    { 5, 5, 20, "五年五月二十日", "20 May 5" },
  };
  static const int invalid[][3] = {
    { 2023, 2, 29 }, { 2026, 13, 1 }, { 2026, 0, 1 },  { 2026, 1, 0 },        { 2026, 4, 31 },
    { 0, 1, 1 },     { -1, 1, 1 },    { 10000, 1, 1 }, { G_MAXINT, 1, 1 },    { 2026, G_MININT, 1 },
    { 2026, 1, 32 }, { 2026, 1, -1 }, { 65536, 1, 1 }, { 2026, 1, G_MAXINT },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zh
          = linli_spoken_date (cases[i].year, cases[i].month, cases[i].day, "zh_CN");
      g_autofree char *en = linli_spoken_date (cases[i].year, cases[i].month, cases[i].day, "en");

      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_null (linli_spoken_date (invalid[i][0], invalid[i][1], invalid[i][2], "zh_CN"));
      g_assert_null (linli_spoken_date (invalid[i][0], invalid[i][1], invalid[i][2], "en"));
    }
}

static void
test_time (void)
{
  static const struct
  {
    int hour, minute;
    const char *zh;
    const char *en;
  } cases[] = {
    { 15, 20, "下午三点二十分", "3:20 PM" }, { 14, 0, "下午两点整", "2 PM" },
    { 0, 0, "凌晨零点整", "12 midnight" },   { 0, 5, "凌晨零点零五分", "12:05 AM" },
    { 12, 0, "中午十二点整", "12 noon" },    { 12, 30, "中午十二点三十分", "12:30 PM" },
    { 9, 5, "上午九点零五分", "9:05 AM" },   { 7, 30, "早上七点三十分", "7:30 AM" },
    { 20, 2, "晚上八点零二分", "8:02 PM" },  { 23, 59, "晚上十一点五十九分", "11:59 PM" },
    { 2, 10, "凌晨两点十分", "2:10 AM" },
  };
  static const int invalid[][2] = { { 24, 0 }, { -1, 0 }, { 10, 60 }, { 10, -1 }, { G_MAXINT, 0 } };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zh = linli_spoken_time (cases[i].hour, cases[i].minute, "zh_CN");
      g_autofree char *en = linli_spoken_time (cases[i].hour, cases[i].minute, "en");

      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_null (linli_spoken_time (invalid[i][0], invalid[i][1], "zh_CN"));
}

static void
test_sanitize (void)
{
  static const struct
  {
    const char *input;
    const char *output;
    guint skipped;
  } cases[] = {
    { "", "", 0 },
    { "王小明", "王小明", 0 },
    { "龘鬯㐀〇", "龘鬯㐀〇", 0 },         /* rare, but espeak-ng reads them */
    { "王𠮷明", "王明", 1 },               /* Extension B: spelled as a code point */
    { "丆乄", "", 2 },                     /* basic block, no reading */
    { "\xe4\xb6\xbf", "", 1 },             /* U+4DBF, Extension A, no reading */
    { "﨑", "", 1 },                       /* compatibility block, unified, no reading */
    { "\xef\xa4\x80", "\xe8\xb1\x88", 0 }, /* U+F900 → U+8C48 by NFC */
    { "你好😀！", "你好！", 1 },
    { "👨‍👩‍👧", "", 5 }, /* three emoji and two zero-width joiners */
    { "王*明", "王某明", 0 },
    { "欧阳**", "欧阳某某", 0 },
    { "*明", "某明", 0 },
    { "张*****", "张某某某", 2 },
    { "3701****123X", "3701 123X", 4 },
    { "a * b", "a b", 1 },
    { "Ａ１２①", "A121", 0 },
    { "⼀㈠", "一(一)", 0 }, /* a Kangxi radical, a parenthesized ideograph */
    { "e\xcc\x81t\xc3\xa9", "\xc3\xa9t\xc3\xa9", 0 }, /* combining accent composed */
    { "a\xff\xfe"
      "b",
      "ab", 2 },
    { "\xc0\x80x", "x", 2 }, /* overlong NUL */
    { "  a \t\n b\xe3\x80\x80 c  ", "a b c", 0 },
    { "50%#@&/", "50", 5 },
    { "\x01\x1b[0m\x7f", "0m", 4 },
    { "Ωмир", "", 4 },
    { "，。！？《》“”、：；（）…", "，。！？《》“”、：；（）…", 0 },
    { "Hello, world!", "Hello, world!", 0 },
    { "\xe2\x80\x8b王\xef\xb8\x8f", "王", 2 }, /* zero-width space, variation selector */
    { "\xee\x80\x80王\xcd\xb8", "王", 2 },     /* private use U+E000, unassigned U+0378 */
    { "\xed\xa0\x80王", "王", 3 },             /* an encoded surrogate: three bad bytes */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint skipped = G_MAXUINT;
      g_autofree char *out = linli_spoken_sanitize (cases[i].input, &skipped);

      g_assert_true (g_utf8_validate (out, -1, NULL));
      g_assert_cmpstr (out, ==, cases[i].output);
      g_assert_cmpuint (skipped, ==, cases[i].skipped);
    }
}

static void
test_sanitize_malformed (void)
{
  guint skipped = G_MAXUINT;
  g_autofree char *null_out = linli_spoken_sanitize (NULL, &skipped);
  g_autofree char *no_count = linli_spoken_sanitize ("王😀", NULL);
  GString *huge = g_string_new (NULL);
  g_autofree char *huge_out = NULL;
  const guint repeats = 200000;

  g_assert_cmpstr (null_out, ==, "");
  g_assert_cmpuint (skipped, ==, 0);
  g_assert_cmpstr (no_count, ==, "王");

  /* about 2.6 MB: a name, an emoji, invalid bytes and spaces, repeated */
  for (guint i = 0; i < repeats; i++)
    g_string_append (huge, "王😀\xff  ");
  huge_out = linli_spoken_sanitize (huge->str, &skipped);
  g_string_free (huge, TRUE);
  g_assert_cmpuint (skipped, ==, 2 * repeats);
  g_assert_cmpuint (strlen (huge_out), ==, repeats * strlen ("王 ") - 1);
}

static void
test_han_is_readable (void)
{
  g_assert_true (linli_spoken_han_is_readable (0x4E00));  /* 一 */
  g_assert_true (linli_spoken_han_is_readable (0x9F98));  /* 龘 */
  g_assert_true (linli_spoken_han_is_readable (0x9FA5));  /* 龥 */
  g_assert_true (linli_spoken_han_is_readable (0x3400));  /* 㐀 */
  g_assert_true (linli_spoken_han_is_readable (0x3007));  /* 〇 */
  g_assert_false (linli_spoken_han_is_readable (0x4E06)); /* 丆 */
  g_assert_false (linli_spoken_han_is_readable (0x9FA6));
  g_assert_false (linli_spoken_han_is_readable (0x9FFF));
  g_assert_false (linli_spoken_han_is_readable (0x4DBF));
  g_assert_false (linli_spoken_han_is_readable (0x20BB7)); /* 𠮷 */
  g_assert_false (linli_spoken_han_is_readable (0xFA11));  /* 﨑 */
  g_assert_false (linli_spoken_han_is_readable ('A'));
  g_assert_false (linli_spoken_han_is_readable (0x1F600));
}

/* ---- against the real espeak-ng --------------------------------------- */

static const char *
espeak_path (void)
{
  const char *path = g_getenv ("LINLI_SPOKEN_ESPEAK");

  if (path != NULL && *path != '\0')
    return path;
  if (g_getenv ("CI") != NULL && *g_getenv ("CI") != '\0')
    g_test_fail_printf ("espeak-ng is not installed, and CI must run this test");
  else
    g_test_skip ("espeak-ng is not installed");
  return NULL;
}

/* On Debian 12 (espeak-ng 1.51) the voice "cmn" says most characters as
 * English-spelled pinyin; the text is checked with the voice that reads it
 * in Mandarin. LINLI_SPOKEN_CMN_VOICE names another voice to check. */
static const char *
mandarin_voice (void)
{
  const char *voice = g_getenv ("LINLI_SPOKEN_CMN_VOICE");

  return voice != NULL && *voice != '\0' ? voice : "cmn-latn-pinyin";
}

/* espeak-ng's output for text given on stdin: its translation trace with
 * "-X", the phonemes alone with "-x". */
static char *
espeak_run (const char *espeak, const char *voice, const char *mode, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                  | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, espeak, "-q", mode, "-v", voice, "--stdin", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, text, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return g_strstrip (g_steal_pointer (&out));
}

static guint
count_occurrences (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* A character espeak-ng has no reading for shows in its trace as "_??". */
#define UNKNOWN "'_?\?'" /* \? keeps it from being a trigraph */

/* The raw text shows the detector works, the sanitized text that it is
 * clean. */
static void
test_espeak_sanitized (void)
{
  const char *espeak = espeak_path ();
  const char *raw = "王𠮷明丆，你好😀﨑！";
  g_autofree char *raw_trace = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *clean_trace = NULL;
  g_autofree char *clean_phonemes = NULL;

  if (espeak == NULL)
    return;

  raw_trace = espeak_run (espeak, mandarin_voice (), "-X", raw);
  g_assert_cmpuint (count_occurrences (raw_trace, UNKNOWN), ==, 3);

  clean = linli_spoken_sanitize (raw, NULL);
  clean_trace = espeak_run (espeak, mandarin_voice (), "-X", clean);
  clean_phonemes = espeak_run (espeak, mandarin_voice (), "-x", clean);
  g_test_message ("%s → %s → %s", raw, clean, clean_phonemes);
  g_assert_cmpuint (count_occurrences (clean_trace, UNKNOWN), ==, 0);
  g_assert_null (strchr (clean_phonemes, '(')); /* "(en)…(cmn)": a language switch */
  g_assert_cmpuint (strlen (clean_phonemes), >, 0);
}

/* Every Han character the sanitizer keeps is one espeak-ng can read; the
 * table of those it drops may go stale the other way (a newer espeak-ng
 * reads more), which is only reported. */
static void
test_espeak_han_table (void)
{
  const char *espeak = espeak_path ();
  GString *kept = g_string_new (NULL);
  GString *dropped = g_string_new (NULL);
  guint n_dropped = 0;
  g_autofree char *kept_trace = NULL;
  g_autofree char *dropped_trace = NULL;
  guint unknown;

  if (espeak == NULL)
    {
      g_string_free (kept, TRUE);
      g_string_free (dropped, TRUE);
      return;
    }

  /* "。" keeps each character a word of its own, out of any compound */
  for (gunichar c = 0x3400; c <= 0x9FFF; c++)
    {
      if (c > 0x4DBF && c < 0x4E00)
        continue;
      if (linli_spoken_han_is_readable (c))
        {
          g_string_append_unichar (kept, c);
          g_string_append (kept, "。");
        }
      else
        {
          g_string_append_unichar (dropped, c);
          g_string_append (dropped, "。");
          n_dropped++;
        }
    }

  kept_trace = espeak_run (espeak, mandarin_voice (), "-X", kept->str);
  g_assert_cmpuint (count_occurrences (kept_trace, UNKNOWN), ==, 0);

  dropped_trace = espeak_run (espeak, mandarin_voice (), "-X", dropped->str);
  unknown = count_occurrences (dropped_trace, UNKNOWN);
  if (unknown < n_dropped)
    g_test_message ("espeak-ng now reads %u of the %u characters the sanitizer drops",
                    n_dropped - unknown, n_dropped);
  g_string_free (kept, TRUE);
  g_string_free (dropped, TRUE);
}

/* The spoken forms are read in the language they are written for: no
 * character without a reading, and no switch of language in between. */
static void
test_espeak_values (void)
{
  const char *espeak = espeak_path ();
  g_autoptr (GPtrArray) zh = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) en = g_ptr_array_new_with_free_func (g_free);

  if (espeak == NULL)
    return;

  g_ptr_array_add (zh, linli_spoken_amount (100507, "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_amount (-200000022, "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_number (G_MAXINT64, "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_digits ("11010119900307425X", "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_digits ("3701**********123X", "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_digits ("****", "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_date (2026, 11, 23, "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_time (0, 0, "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_time (14, 5, "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_time (7, 30, "zh_CN"));
  g_ptr_array_add (zh, linli_spoken_sanitize ("欧阳*", NULL));

  g_ptr_array_add (en, linli_spoken_amount (100507, "en"));
  g_ptr_array_add (en, linli_spoken_number (G_MININT64, "en"));
  g_ptr_array_add (en, linli_spoken_digits ("3701**********123X", "en"));
  g_ptr_array_add (en, linli_spoken_date (2026, 11, 23, "en"));
  g_ptr_array_add (en, linli_spoken_time (0, 5, "en"));
  g_ptr_array_add (en, linli_spoken_time (12, 0, "en"));

  for (guint i = 0; i < zh->len + en->len; i++)
    {
      gboolean english = i >= zh->len;
      const char *text = english ? g_ptr_array_index (en, i - zh->len) : g_ptr_array_index (zh, i);
      const char *voice = english ? "en" : mandarin_voice ();
      g_autofree char *trace = espeak_run (espeak, voice, "-X", text);
      g_autofree char *phonemes = espeak_run (espeak, voice, "-x", text);

      g_test_message ("%s → %s", text, phonemes);
      g_assert_cmpuint (count_occurrences (trace, UNKNOWN), ==, 0);
      g_assert_null (strchr (phonemes, '('));
      g_assert_cmpuint (strlen (phonemes), >, 0);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spoken/number", test_number);
  g_test_add_func ("/spoken/amount", test_amount);
  g_test_add_func ("/spoken/amount-extremes", test_amount_extremes);
  g_test_add_func ("/spoken/digits", test_digits);
  g_test_add_func ("/spoken/digits-malformed", test_digits_malformed);
  g_test_add_func ("/spoken/date", test_date);
  g_test_add_func ("/spoken/time", test_time);
  g_test_add_func ("/spoken/sanitize", test_sanitize);
  g_test_add_func ("/spoken/sanitize-malformed", test_sanitize_malformed);
  g_test_add_func ("/spoken/han-is-readable", test_han_is_readable);

  if (g_getenv ("LINLI_SPOKEN_ESPEAK") != NULL)
    {
      g_test_add_func ("/spoken/espeak/sanitized", test_espeak_sanitized);
      g_test_add_func ("/spoken/espeak/han-table", test_espeak_han_table);
      g_test_add_func ("/spoken/espeak/values", test_espeak_values);
    }

  return g_test_run ();
}
