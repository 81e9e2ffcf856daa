/* linli-identity.c
 *
 * LinliIdentity: what a card says about its holder, validated (GB 11643),
 * masked for screens and receipts, and wiped when the last reference goes.
 * Nothing here logs a field's value: error messages name the field only.
 * docs/identity.md describes the rules; PROTOCOLS.md §1–3 the card layouts.
 */
#define G_LOG_DOMAIN "linli-identity"

#include "linli-identity.h"

#include <string.h>

struct _LinliIdentity
{
  LinliCardType card_type;
  LinliGender gender;
  gboolean id_number_valid;
  char *name;
  char *nation_code;
  char *birth_date;
  char *address;
  char *id_number;
  char *issuer;
  char *valid_from;
  char *valid_to;
  char *source;
  GBytes *photo; /* over a PhotoBlock, wiped when the GBytes goes */
};

/* A builder is an identity that nobody else has seen yet. */
struct _LinliIdentityBuilder
{
  LinliIdentity *identity;
};

G_DEFINE_BOXED_TYPE (LinliIdentity, linli_identity, linli_identity_ref, linli_identity_unref)

#define LONG_TERM LINLI_IDENTITY_LONG_TERM

/* Spelled out: clang-format would put spaces into G_DEFINE_QUARK's name. */
GQuark
linli_identity_error_quark (void)
{
  return g_quark_from_static_string ("linli-identity-error-quark");
}

GType
linli_card_type_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_CARD_TYPE_RESIDENT_ID, "LINLI_CARD_TYPE_RESIDENT_ID", "resident_id" },
    { LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT, "LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT",
      "foreign_permanent_resident" },
    { LINLI_CARD_TYPE_HK_MACAO_TAIWAN_RESIDENT, "LINLI_CARD_TYPE_HK_MACAO_TAIWAN_RESIDENT",
      "hk_macao_taiwan_resident" },
    { LINLI_CARD_TYPE_SOCIAL_SECURITY, "LINLI_CARD_TYPE_SOCIAL_SECURITY", "social_security" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliCardType", values));
  return type_id;
}

const char *
linli_card_type_to_string (LinliCardType type)
{
  /* A switch rather than the GEnumClass: no type system needed in a parser. */
  switch (type)
    {
    case LINLI_CARD_TYPE_RESIDENT_ID:
      return "resident_id";
    case LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT:
      return "foreign_permanent_resident";
    case LINLI_CARD_TYPE_HK_MACAO_TAIWAN_RESIDENT:
      return "hk_macao_taiwan_resident";
    case LINLI_CARD_TYPE_SOCIAL_SECURITY:
      return "social_security";
    default:
      return "invalid";
    }
}

/* ---- Wiping ------------------------------------------------------------ */

static LinliIdentityWipeObserver wipe_observer;
static gpointer wipe_observer_data;

void
linli_identity_set_wipe_observer_for_testing (LinliIdentityWipeObserver observer,
                                              gpointer user_data)
{
  wipe_observer = observer;
  wipe_observer_data = user_data;
}

static void
wipe (void *data, gsize size)
{
  explicit_bzero (data, size);
  if (wipe_observer != NULL)
    wipe_observer (data, size, wipe_observer_data);
}

static void
wipe_string (char **text)
{
  if (*text == NULL)
    return;
  wipe (*text, strlen (*text) + 1);
  g_clear_pointer (text, g_free);
}

/* The photo's own copy, so that the bytes are ours to wipe. */
typedef struct
{
  gsize size;
  guint8 data[];
} PhotoBlock;

static void
photo_block_free (gpointer data)
{
  PhotoBlock *block = data;

  wipe (block->data, block->size);
  g_free (block);
}

static void
linli_identity_clear (gpointer data)
{
  LinliIdentity *self = data;

  wipe_string (&self->name);
  wipe_string (&self->nation_code);
  wipe_string (&self->birth_date);
  wipe_string (&self->address);
  wipe_string (&self->id_number);
  wipe_string (&self->issuer);
  wipe_string (&self->valid_from);
  wipe_string (&self->valid_to);
  wipe_string (&self->source);
  g_clear_pointer (&self->photo, g_bytes_unref);
  self->gender = LINLI_GENDER_UNKNOWN;
  self->id_number_valid = FALSE;
}

LinliIdentity *
linli_identity_ref (LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
linli_identity_unref (LinliIdentity *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, linli_identity_clear);
}

/* ---- Dates and ID numbers ------------------------------------------------ */

static gboolean
all_digits (const char *text, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static guint
digits_value (const char *text, gsize length)
{
  guint value = 0;

  for (gsize i = 0; i < length; i++)
    value = value * 10 + (guint) (text[i] - '0');
  return value;
}

/* @text holds 8 digits YYYYMMDD of a real calendar date (leap years too). */
static gboolean
ymd_digits_valid (const char *text, guint *year, guint *month, guint *day)
{
  guint y, m, d;

  if (!all_digits (text, 8))
    return FALSE;
  y = digits_value (text, 4);
  m = digits_value (text + 4, 2);
  d = digits_value (text + 6, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  if (year != NULL)
    *year = y;
  if (month != NULL)
    *month = m;
  if (day != NULL)
    *day = d;
  return TRUE;
}

/* "YYYY-MM-DD", a real date. */
static gboolean
iso_date_valid (const char *text, guint *year, guint *month, guint *day)
{
  char digits[8];
  gboolean valid;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  memcpy (digits, text, 4);
  memcpy (digits + 4, text + 5, 2);
  memcpy (digits + 6, text + 8, 2);
  valid = ymd_digits_valid (digits, year, month, day);
  explicit_bzero (digits, sizeof digits);
  return valid;
}

static int
compare_ymd (guint y1, guint m1, guint d1, guint y2, guint m2, guint d2)
{
  guint a = y1 * 10000 + m1 * 100 + d1;
  guint b = y2 * 10000 + m2 * 100 + d2;

  return a < b ? -1 : a > b ? 1 : 0;
}

static void
today_ymd (GDateTime *today, guint *year, guint *month, guint *day)
{
  g_autoptr (GDateTime) now
      = today != NULL ? g_date_time_ref (today) : g_date_time_new_now_local ();
  int y, m, d;

  g_date_time_get_ymd (now, &y, &m, &d);
  *year = (guint) y;
  *month = (guint) m;
  *day = (guint) d;
}

/* ISO 7064 MOD 11-2 over 17 digits; the 18th is the check character, 'X'
 * (or 'x') standing for 10. */
static gboolean
mod11_2_valid (const char *number)
{
  static const guint weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char check[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };
  guint sum = 0;

  if (strlen (number) != 18 || !all_digits (number, 17))
    return FALSE;
  for (guint i = 0; i < 17; i++)
    sum += (guint) (number[i] - '0') * weights[i];
  return g_ascii_toupper (number[17]) == check[sum % 11];
}

/* The earliest birth year the kiosk believes: the standard's own example
 * holder was born in 1880. */
#define EARLIEST_BIRTH_YEAR 1850

/**
 * linli_id_number_check:
 *
 * GB 11643-1999: 18 characters, the MOD 11-2 check character ('X' or 'x'
 * for 10), and a birth date (characters 7–14) that is a real date, not
 * before 1850 and not after today. 15-digit first-generation numbers have
 * no check digit and are FALSE.
 */
gboolean
linli_id_number_check (const char *id_number)
{
  guint y, m, d, ty, tm, td;

  if (id_number == NULL || !mod11_2_valid (id_number))
    return FALSE;
  if (!ymd_digits_valid (id_number + 6, &y, &m, &d) || y < EARLIEST_BIRTH_YEAR)
    return FALSE;
  today_ymd (NULL, &ty, &tm, &td);
  return compare_ymd (y, m, d, ty, tm, td) <= 0;
}

/* The 2017 foreigner's card number: 3 Latin letters (GB/T 2659) and 12
 * digits. Its check rule is not in our sources, so only the form is checked. */
static gboolean
foreign_2017_number_valid (const char *number)
{
  if (strlen (number) != 15)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_isupper (number[i]))
      return FALSE;
  return all_digits (number + 3, 12);
}

static gboolean
identity_id_number_valid (const LinliIdentity *self)
{
  const char *number = self->id_number;
  char embedded[11];
  gboolean same;

  if (number == NULL)
    return FALSE;
  if (self->card_type == LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT)
    {
      /* 2023 cards: 18 digits starting with 9 and the MOD 11-2 check; where
       * the birth date sits in them is not in our sources [inf], so it is
       * not compared. */
      if (strlen (number) == 18)
        return number[0] == '9' && mod11_2_valid (number);
      return foreign_2017_number_valid (number);
    }
  if (!linli_id_number_check (number))
    return FALSE;
  if (self->birth_date == NULL)
    return TRUE;
  g_snprintf (embedded, sizeof embedded, "%.4s-%.2s-%.2s", number + 6, number + 10, number + 12);
  same = strcmp (embedded, self->birth_date) == 0;
  explicit_bzero (embedded, sizeof embedded);
  return same;
}

gboolean
linli_identity_get_id_number_valid (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->id_number_valid;
}

gboolean
linli_identity_is_expired (const LinliIdentity *self, GDateTime *today)
{
  guint y, m, d, ty, tm, td;

  g_return_val_if_fail (self != NULL, FALSE);
  /* No end date (some social-security cards) or long-term: never expires. */
  if (self->valid_to == NULL || strcmp (self->valid_to, LONG_TERM) == 0)
    return FALSE;
  if (!iso_date_valid (self->valid_to, &y, &m, &d))
    return TRUE; /* cannot happen: the builder checked it */
  today_ymd (today, &ty, &tm, &td);
  /* Valid through its last day. */
  return compare_ymd (y, m, d, ty, tm, td) < 0;
}

/* ---- GB 3304 ------------------------------------------------------------- */

static const char *const nations[] = {
  NULL,     "汉",   "蒙古",     "回",   "藏",     "维吾尔", "苗",   "彝",       "壮",
  "布依",   "朝鲜", "满",       "侗",   "瑶",     "白",     "土家", "哈尼",     "哈萨克",
  "傣",     "黎",   "傈僳",     "佤",   "畲",     "高山",   "拉祜", "水",       "东乡",
  "纳西",   "景颇", "柯尔克孜", "土",   "达斡尔", "仫佬",   "羌",   "布朗",     "撒拉",
  "毛南",   "仡佬", "锡伯",     "阿昌", "普米",   "塔吉克", "怒",   "乌孜别克", "俄罗斯",
  "鄂温克", "德昂", "保安",     "裕固", "京",     "塔塔尔", "独龙", "鄂伦春",   "赫哲",
  "门巴",   "珞巴", "基诺",
};

const char *
linli_nation_name (const char *code)
{
  guint value;

  if (code == NULL || strlen (code) != 2 || !all_digits (code, 2))
    return NULL;
  value = digits_value (code, 2);
  if (value >= 1 && value < G_N_ELEMENTS (nations))
    return nations[value];
  if (value == 97)
    return "其他";
  if (value == 98)
    return "外国血统中国籍人士";
  return NULL;
}

/* ---- Masking ------------------------------------------------------------- */

static gboolean
is_name_separator (gunichar c)
{
  return g_unichar_isspace (c) || c == ',' || c == '.' || c == '-' || c == '\''
         || c == 0x00B7  /* · middle dot, as in 买买提·艾力 */
         || c == 0x2022  /* • */
         || c == 0x30FB  /* ・ */
         || c == 0xFF0C  /* ， */
         || c == 0xFF0E; /* ． */
}

/**
 * linli_mask_name:
 *
 * One star per hidden character, counted in Unicode characters. A name of
 * Han characters only: 1 → "*", 2 → first + "*", 3 or more → first + stars
 * + last (王*明, 欧**明: compound surnames are not guessed). A name with
 * other letters or with separators ("ZHANG, SAN", 买买提·艾力) is masked word
 * by word, keeping each word's first letter and every separator
 * ("Z****, S**"). Invalid UTF-8 → "*". NULL → NULL.
 */
char *
linli_mask_name (const char *name)
{
  g_autofree gunichar *chars = NULL;
  glong count = 0;
  gboolean by_word = FALSE;
  GString *out;

  if (name == NULL)
    return NULL;
  if (!g_utf8_validate (name, -1, NULL))
    return g_strdup ("*");
  chars = g_utf8_to_ucs4_fast (name, -1, &count);
  for (glong i = 0; i < count; i++)
    if (is_name_separator (chars[i])
        || (g_unichar_isalpha (chars[i])
            && g_unichar_get_script (chars[i]) != G_UNICODE_SCRIPT_HAN))
      by_word = TRUE;

  out = g_string_sized_new ((gsize) count * 4 + 1);
  if (by_word)
    {
      gboolean word_start = TRUE;
      glong letters = 0;

      for (glong i = 0; i < count; i++)
        if (!is_name_separator (chars[i]))
          letters++;
      for (glong i = 0; i < count; i++)
        {
          if (is_name_separator (chars[i]))
            {
              g_string_append_unichar (out, chars[i]);
              word_start = TRUE;
            }
          else
            {
              /* A one-letter name would be shown whole: hide it. */
              if (word_start && letters > 1)
                g_string_append_unichar (out, chars[i]);
              else
                g_string_append_c (out, '*');
              word_start = FALSE;
            }
        }
    }
  else if (count == 1)
    g_string_append_c (out, '*');
  else if (count >= 2)
    {
      g_string_append_unichar (out, chars[0]);
      for (glong i = 1; i < count - 1; i++)
        g_string_append_c (out, '*');
      if (count == 2)
        g_string_append_c (out, '*');
      else
        g_string_append_unichar (out, chars[count - 1]);
    }
  explicit_bzero (chars, (gsize) count * sizeof (gunichar));
  return g_string_free (out, FALSE);
}

/**
 * linli_mask_id_number:
 *
 * 18 characters: the first 4 and the last 4 stay ("3701**********123X").
 * Any other length n: at most min (4, n / 3) characters stay, half at each
 * end (the extra one at the start), so a short number is never readable.
 * Invalid UTF-8 → "*". NULL → NULL.
 */
char *
linli_mask_id_number (const char *id_number)
{
  glong count, head, tail;
  const char *p;
  GString *out;

  if (id_number == NULL)
    return NULL;
  if (!g_utf8_validate (id_number, -1, NULL))
    return g_strdup ("*");
  count = g_utf8_strlen (id_number, -1);
  if (count == 18)
    head = tail = 4;
  else
    {
      glong shown = MIN (4, count / 3);

      head = (shown + 1) / 2;
      tail = shown / 2;
    }
  out = g_string_sized_new ((gsize) count + 8);
  p = id_number;
  for (glong i = 0; i < count; i++, p = g_utf8_next_char (p))
    {
      if (i < head || i >= count - tail)
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else
        g_string_append_c (out, '*');
    }
  return g_string_free (out, FALSE);
}

char *
linli_identity_dup_masked_name (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return linli_mask_name (self->name);
}

char *
linli_identity_dup_masked_id_number (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return linli_mask_id_number (self->id_number);
}

/* ---- Builder ------------------------------------------------------------- */

LinliIdentityBuilder *
linli_identity_builder_new (LinliCardType type, const char *source)
{
  LinliIdentityBuilder *builder = g_new0 (LinliIdentityBuilder, 1);

  builder->identity = g_atomic_rc_box_new0 (LinliIdentity);
  builder->identity->card_type = type;
  builder->identity->source = g_strdup (source);
  return builder;
}

void
linli_identity_builder_free (LinliIdentityBuilder *builder)
{
  if (builder == NULL)
    return;
  g_clear_pointer (&builder->identity, linli_identity_unref);
  g_free (builder);
}

static void
replace_string (char **field, const char *value)
{
  wipe_string (field);
  *field = g_strdup (value);
}

void
linli_identity_builder_set_name (LinliIdentityBuilder *builder, const char *name)
{
  g_return_if_fail (builder != NULL);
  replace_string (&builder->identity->name, name);
}

void
linli_identity_builder_set_gender (LinliIdentityBuilder *builder, LinliGender gender)
{
  g_return_if_fail (builder != NULL);
  builder->identity->gender = gender;
}

void
linli_identity_builder_set_nation_code (LinliIdentityBuilder *builder, const char *code)
{
  g_return_if_fail (builder != NULL);
  replace_string (&builder->identity->nation_code, code);
}

void
linli_identity_builder_set_birth_date (LinliIdentityBuilder *builder, const char *date)
{
  g_return_if_fail (builder != NULL);
  replace_string (&builder->identity->birth_date, date);
}

void
linli_identity_builder_set_address (LinliIdentityBuilder *builder, const char *address)
{
  g_return_if_fail (builder != NULL);
  replace_string (&builder->identity->address, address);
}

void
linli_identity_builder_set_id_number (LinliIdentityBuilder *builder, const char *id_number)
{
  gsize length;

  g_return_if_fail (builder != NULL);
  replace_string (&builder->identity->id_number, id_number);
  /* A lowercase check character is the same number: keep one spelling. */
  length = id_number != NULL ? strlen (id_number) : 0;
  if (length == 18 && builder->identity->id_number[17] == 'x')
    builder->identity->id_number[17] = 'X';
}

void
linli_identity_builder_set_issuer (LinliIdentityBuilder *builder, const char *issuer)
{
  g_return_if_fail (builder != NULL);
  replace_string (&builder->identity->issuer, issuer);
}

void
linli_identity_builder_set_validity (LinliIdentityBuilder *builder,
                                     const char *valid_from,
                                     const char *valid_to)
{
  g_return_if_fail (builder != NULL);
  replace_string (&builder->identity->valid_from, valid_from);
  replace_string (&builder->identity->valid_to, valid_to);
}

void
linli_identity_builder_set_photo (LinliIdentityBuilder *builder, GBytes *photo)
{
  PhotoBlock *block;
  gconstpointer data;
  gsize size = 0;

  g_return_if_fail (builder != NULL);
  g_clear_pointer (&builder->identity->photo, g_bytes_unref);
  if (photo == NULL || g_bytes_get_size (photo) == 0)
    return;
  data = g_bytes_get_data (photo, &size);
  block = g_malloc (sizeof (PhotoBlock) + size);
  block->size = size;
  memcpy (block->data, data, size);
  builder->identity->photo
      = g_bytes_new_with_free_func (block->data, size, photo_block_free, block);
}

static gboolean
check_text (const char *value, const char *what, GError **error)
{
  if (value == NULL || g_utf8_validate (value, -1, NULL))
    return TRUE;
  g_set_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
               "The card's %s is not valid text", what);
  return FALSE;
}

static gboolean
check_date (const char *value, const char *what, gboolean long_term_allowed, GError **error)
{
  if (value == NULL || iso_date_valid (value, NULL, NULL, NULL)
      || (long_term_allowed && strcmp (value, LONG_TERM) == 0))
    return TRUE;
  g_set_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
               "The card's %s is not a date", what);
  return FALSE;
}

/**
 * linli_identity_builder_end:
 *
 * Checks what was set: a name and an ID number (every card type has
 * both), valid UTF-8 everywhere, dates as real YYYY-MM-DD dates (valid_to
 * may be "long-term"), a nation code of two digits. Then computes whether
 * the ID number is valid. The builder is freed (and wiped) either way.
 */
LinliIdentity *
linli_identity_builder_end (LinliIdentityBuilder *builder, GError **error)
{
  LinliIdentity *self;

  g_return_val_if_fail (builder != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = builder->identity;
  if (!check_text (self->name, "name", error) || !check_text (self->address, "address", error)
      || !check_text (self->id_number, "ID number", error)
      || !check_text (self->issuer, "issuing authority", error)
      || !check_text (self->source, "reader name", error)
      || !check_date (self->birth_date, "birth date", FALSE, error)
      || !check_date (self->valid_from, "start of validity", FALSE, error)
      || !check_date (self->valid_to, "end of validity", TRUE, error))
    {
      linli_identity_builder_free (builder);
      return NULL;
    }
  if (self->name == NULL || self->name[0] == '\0')
    {
      g_set_error_literal (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                           "The card holds no name");
      linli_identity_builder_free (builder);
      return NULL;
    }
  if (self->id_number == NULL || self->id_number[0] == '\0')
    {
      g_set_error_literal (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                           "The card holds no ID number");
      linli_identity_builder_free (builder);
      return NULL;
    }
  if (self->nation_code != NULL
      && (strlen (self->nation_code) != 2 || !all_digits (self->nation_code, 2)))
    {
      g_set_error_literal (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                           "The card's ethnic group is not a two-digit code");
      linli_identity_builder_free (builder);
      return NULL;
    }
  if (self->gender != LINLI_GENDER_UNKNOWN && self->gender != LINLI_GENDER_MALE
      && self->gender != LINLI_GENDER_FEMALE)
    self->gender = LINLI_GENDER_UNKNOWN;

  self->id_number_valid = identity_id_number_valid (self);
  builder->identity = NULL;
  linli_identity_builder_free (builder);
  return self;
}

/* ---- GA/T 467 text block ------------------------------------------------- */

#define GA467_TEXT_SIZE   256
#define GA467_FLAG_OFFSET 248
/* The longest field, the 2017 card's English name: 120 bytes. */
#define MAX_FIELD_UNITS 60

typedef struct
{
  gsize offset;
  gsize size;
} Span;

/* Decodes UCS-2LE (with UTF-16 surrogate pairs) from up to two spans of
 * @text, trims spaces at both ends and returns NULL for an empty field.
 * Control characters (NUL among them) and unpaired surrogates are errors. */
static gboolean
decode_field (
    const guint8 *text, Span first, Span second, const char *what, char **out, GError **error)
{
  guint16 units[MAX_FIELD_UNITS];
  /* At most 3 UTF-8 bytes per unit (a pair of 2 units makes 4). */
  char utf8[MAX_FIELD_UNITS * 3 + 1];
  gsize n_units = 0, length = 0, start = 0;
  gboolean ok = TRUE;

  g_assert ((first.size + second.size) / 2 <= MAX_FIELD_UNITS);
  for (gsize i = 0; i + 1 < first.size; i += 2)
    units[n_units++] = (guint16) (text[first.offset + i] | (text[first.offset + i + 1] << 8));
  for (gsize i = 0; i + 1 < second.size; i += 2)
    units[n_units++] = (guint16) (text[second.offset + i] | (text[second.offset + i + 1] << 8));

  for (gsize i = 0; i < n_units && ok; i++)
    {
      gunichar c = units[i];

      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n_units && units[i + 1] >= 0xDC00
          && units[i + 1] <= 0xDFFF)
        {
          c = 0x10000 + ((c - 0xD800) << 10) + (units[i + 1] - 0xDC00u);
          i++;
        }
      else if (c >= 0xD800 && c <= 0xDFFF)
        {
          g_set_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                       "The %s field of the card's text has an unpaired UTF-16 surrogate", what);
          ok = FALSE;
          break;
        }
      if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xFFFE || c == 0xFFFF)
        {
          g_set_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                       "The %s field of the card's text has a control character (U+%04X)", what,
                       (guint) c);
          ok = FALSE;
          break;
        }
      length += (gsize) g_unichar_to_utf8 (c, utf8 + length);
    }

  if (ok)
    {
      gsize end = length;

      /* Padding is spaces; the ideographic space too, to be safe. */
      while (start < end && utf8[start] == ' ')
        start++;
      while (end > start && utf8[end - 1] == ' ')
        end--;
      while (end - start >= 3 && memcmp (utf8 + end - 3, "\xe3\x80\x80", 3) == 0)
        end -= 3;
      while (end - start >= 3 && memcmp (utf8 + start, "\xe3\x80\x80", 3) == 0)
        start += 3;
      *out = end > start ? g_strndup (utf8 + start, end - start) : NULL;
    }
  explicit_bzero (units, sizeof units);
  explicit_bzero (utf8, sizeof utf8);
  return ok;
}

static gboolean
decode_span (
    const guint8 *text, gsize offset, gsize size, const char *what, char **out, GError **error)
{
  Span first = { offset, size };
  Span none = { 0, 0 };

  return decode_field (text, first, none, what, out, error);
}

/* A YYYYMMDD field into "YYYY-MM-DD"; 长期 into "long-term" where allowed. */
static gboolean
decode_date (const guint8 *text,
             gsize offset,
             const char *what,
             gboolean long_term_allowed,
             char **out,
             GError **error)
{
  g_autofree char *raw = NULL;
  gboolean ok;

  if (!decode_span (text, offset, 16, what, &raw, error))
    return FALSE;
  *out = NULL;
  if (raw == NULL)
    return TRUE;
  ok = TRUE;
  if (long_term_allowed && strcmp (raw, "长期") == 0)
    *out = g_strdup (LONG_TERM);
  else if (strlen (raw) == 8 && ymd_digits_valid (raw, NULL, NULL, NULL))
    *out = g_strdup_printf ("%.4s-%.2s-%.2s", raw, raw + 4, raw + 6);
  else
    {
      g_set_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                   "The %s field of the card's text is not a date", what);
      ok = FALSE;
    }
  wipe_string (&raw);
  return ok;
}

static gboolean
decode_gender (const guint8 *text, gsize offset, LinliGender *gender, GError **error)
{
  guint16 unit = (guint16) (text[offset] | (text[offset + 1] << 8));

  /* GB/T 2261.1: 1 male, 2 female, 0 unknown, 9 unspecified. */
  switch (unit)
    {
    case '1':
      *gender = LINLI_GENDER_MALE;
      return TRUE;
    case '2':
      *gender = LINLI_GENDER_FEMALE;
      return TRUE;
    case '0':
    case '9':
    case ' ':
      *gender = LINLI_GENDER_UNKNOWN;
      return TRUE;
    default:
      g_set_error_literal (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                           "The gender field of the card's text is not a GB/T 2261.1 code");
      return FALSE;
    }
}

/* Text fields common to a decoded block, each wiped by ga467_fields_clear. */
typedef struct
{
  char *name;
  char *other_name;
  char *nation;
  char *birth;
  char *address;
  char *id_number;
  char *issuer;
  char *valid_from;
  char *valid_to;
} Ga467Fields;

static void
ga467_fields_clear (Ga467Fields *f)
{
  wipe_string (&f->name);
  wipe_string (&f->other_name);
  wipe_string (&f->nation);
  wipe_string (&f->birth);
  wipe_string (&f->address);
  wipe_string (&f->id_number);
  wipe_string (&f->issuer);
  wipe_string (&f->valid_from);
  wipe_string (&f->valid_to);
}

/* Resident ID card and Hong Kong / Macao / Taiwan residence permit: the
 * same layout up to offset 220 (PROTOCOLS.md §1). */
static gboolean
decode_resident (const guint8 *t, gboolean with_nation, Ga467Fields *f, GError **error)
{
  if (!decode_span (t, 0, 30, "name", &f->name, error))
    return FALSE;
  if (with_nation)
    {
      if (!decode_span (t, 32, 4, "ethnic group", &f->nation, error))
        return FALSE;
      if (f->nation != NULL && (strlen (f->nation) != 2 || !all_digits (f->nation, 2)))
        {
          g_set_error_literal (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                               "The ethnic group field of the card's text is not a code");
          return FALSE;
        }
    }
  return decode_date (t, 36, "birth date", FALSE, &f->birth, error)
         && decode_span (t, 52, 70, "address", &f->address, error)
         && decode_span (t, 122, 36, "ID number", &f->id_number, error)
         && decode_span (t, 158, 30, "issuing authority", &f->issuer, error)
         && decode_date (t, 188, "valid-from", FALSE, &f->valid_from, error)
         && decode_date (t, 204, "valid-to", TRUE, &f->valid_to, error);
}

/* 2017 foreigner's card: English name 0–120, gender 120, number 122–152,
 * nationality 152–158, Chinese name 158–188, valid from 188, valid to 204,
 * birth 220, version 236, authority code 240–248. */
static gboolean
decode_foreign_2017 (const guint8 *t, Ga467Fields *f, GError **error)
{
  return decode_span (t, 0, 120, "English name", &f->other_name, error)
         && decode_span (t, 122, 30, "card number", &f->id_number, error)
         && decode_span (t, 158, 30, "Chinese name", &f->name, error)
         && decode_date (t, 188, "valid-from", FALSE, &f->valid_from, error)
         && decode_date (t, 204, "valid-to", TRUE, &f->valid_to, error)
         && decode_date (t, 220, "birth date", FALSE, &f->birth, error)
         && decode_span (t, 240, 8, "authority code", &f->issuer, error);
}

/* 2023 foreigner's card ('Y', one source [1]): Chinese name 0–30, gender
 * 30, renewal count 32, birth 36, English name 52–122 continued at 220–242,
 * ID number 122–158, valid from 188, valid to 204, nationality 242. */
static gboolean
decode_foreign_2023 (const guint8 *t, Ga467Fields *f, GError **error)
{
  Span english = { 52, 70 };
  Span english_more = { 220, 22 };

  return decode_span (t, 0, 30, "Chinese name", &f->name, error)
         && decode_date (t, 36, "birth date", FALSE, &f->birth, error)
         && decode_field (t, english, english_more, "English name", &f->other_name, error)
         && decode_span (t, 122, 36, "ID number", &f->id_number, error)
         && decode_date (t, 188, "valid-from", FALSE, &f->valid_from, error)
         && decode_date (t, 204, "valid-to", TRUE, &f->valid_to, error);
}

/**
 * linli_identity_new_from_ga467_text:
 * @text: the 256-byte text block (exactly 256 bytes)
 * @photo: (nullable): the WLT photo, copied
 *
 * The flag at offset 248 names the card: a space, a resident ID card; 'J',
 * a Hong Kong / Macao / Taiwan residence permit; 'I', a 2017 foreigner's
 * permanent residence card; 'Y', a 2023 one. Foreigners' cards give the
 * Chinese name when they have one, else the English name.
 */
LinliIdentity *
linli_identity_new_from_ga467_text (
    const guint8 *text, gsize length, GBytes *photo, const char *source, GError **error)
{
  g_autoptr (LinliIdentityBuilder) builder = NULL;
  Ga467Fields f = { 0 };
  LinliCardType type;
  LinliGender gender = LINLI_GENDER_UNKNOWN;
  guint16 flag;
  gboolean ok;
  gsize gender_offset;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length != GA467_TEXT_SIZE)
    {
      g_set_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED,
                   "The card's text block has %" G_GSIZE_FORMAT " bytes instead of %d", length,
                   GA467_TEXT_SIZE);
      return NULL;
    }

  flag = (guint16) (text[GA467_FLAG_OFFSET] | (text[GA467_FLAG_OFFSET + 1] << 8));
  switch (flag)
    {
    case ' ':
      type = LINLI_CARD_TYPE_RESIDENT_ID;
      ok = decode_resident (text, TRUE, &f, error);
      gender_offset = 30;
      break;
    case 'J':
      type = LINLI_CARD_TYPE_HK_MACAO_TAIWAN_RESIDENT;
      ok = decode_resident (text, FALSE, &f, error);
      gender_offset = 30;
      break;
    case 'I':
      type = LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT;
      ok = decode_foreign_2017 (text, &f, error);
      gender_offset = 120;
      break;
    case 'Y':
      type = LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT;
      ok = decode_foreign_2023 (text, &f, error);
      gender_offset = 30;
      break;
    default:
      g_set_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_UNKNOWN_CARD,
                   "Unknown card type (flag U+%04X in the text block)", (guint) flag);
      return NULL;
    }
  ok = ok && decode_gender (text, gender_offset, &gender, error);
  if (!ok)
    {
      ga467_fields_clear (&f);
      return NULL;
    }

  builder = linli_identity_builder_new (type, source);
  linli_identity_builder_set_name (builder, f.name != NULL ? f.name : f.other_name);
  linli_identity_builder_set_gender (builder, gender);
  linli_identity_builder_set_nation_code (builder, f.nation);
  linli_identity_builder_set_birth_date (builder, f.birth);
  linli_identity_builder_set_address (builder, f.address);
  linli_identity_builder_set_id_number (builder, f.id_number);
  linli_identity_builder_set_issuer (builder, f.issuer);
  linli_identity_builder_set_validity (builder, f.valid_from, f.valid_to);
  linli_identity_builder_set_photo (builder, photo);
  ga467_fields_clear (&f);
  return linli_identity_builder_end (g_steal_pointer (&builder), error);
}

/* ---- Getters ------------------------------------------------------------- */

LinliCardType
linli_identity_get_card_type (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, LINLI_CARD_TYPE_RESIDENT_ID);
  return self->card_type;
}

const char *
linli_identity_get_name (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

LinliGender
linli_identity_get_gender (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, LINLI_GENDER_UNKNOWN);
  return self->gender;
}

const char *
linli_identity_get_nation_code (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->nation_code;
}

const char *
linli_identity_get_nation (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return linli_nation_name (self->nation_code);
}

const char *
linli_identity_get_birth_date (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->birth_date;
}

const char *
linli_identity_get_address (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->address;
}

const char *
linli_identity_get_id_number (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id_number;
}

const char *
linli_identity_get_issuer (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->issuer;
}

const char *
linli_identity_get_valid_from (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->valid_from;
}

const char *
linli_identity_get_valid_to (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->valid_to;
}

GBytes *
linli_identity_get_photo (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->photo;
}

const char *
linli_identity_get_source (const LinliIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->source;
}
