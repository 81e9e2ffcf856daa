/* Unit tests of LinliSession: the transition table, the timers, and the
 * wipe of personal data. */
#include "linli-session.h"

#include "linli-document-pages.h"

static void
test_transition_table (void)
{
  /* Every state × event pair: expected next state, or -1 for "ignored". */
  static const struct
  {
    LinliSessionState from;
    LinliSessionEvent event;
    int to;
  } table[] = {
    { LINLI_SESSION_STATE_IDLE, LINLI_SESSION_EVENT_BEGIN, LINLI_SESSION_STATE_ACTIVE },
    { LINLI_SESSION_STATE_IDLE, LINLI_SESSION_EVENT_ACTIVITY, -1 },
    { LINLI_SESSION_STATE_IDLE, LINLI_SESSION_EVENT_INACTIVITY, -1 },
    { LINLI_SESSION_STATE_IDLE, LINLI_SESSION_EVENT_COUNTDOWN_EXPIRED, -1 },
    { LINLI_SESSION_STATE_IDLE, LINLI_SESSION_EVENT_FINISH, -1 },
    { LINLI_SESSION_STATE_ACTIVE, LINLI_SESSION_EVENT_BEGIN, -1 },
    { LINLI_SESSION_STATE_ACTIVE, LINLI_SESSION_EVENT_ACTIVITY, LINLI_SESSION_STATE_ACTIVE },
    { LINLI_SESSION_STATE_ACTIVE, LINLI_SESSION_EVENT_INACTIVITY, LINLI_SESSION_STATE_WARNING },
    { LINLI_SESSION_STATE_ACTIVE, LINLI_SESSION_EVENT_COUNTDOWN_EXPIRED, -1 },
    { LINLI_SESSION_STATE_ACTIVE, LINLI_SESSION_EVENT_FINISH, LINLI_SESSION_STATE_IDLE },
    { LINLI_SESSION_STATE_WARNING, LINLI_SESSION_EVENT_BEGIN, -1 },
    { LINLI_SESSION_STATE_WARNING, LINLI_SESSION_EVENT_ACTIVITY, LINLI_SESSION_STATE_ACTIVE },
    { LINLI_SESSION_STATE_WARNING, LINLI_SESSION_EVENT_INACTIVITY, -1 },
    { LINLI_SESSION_STATE_WARNING, LINLI_SESSION_EVENT_COUNTDOWN_EXPIRED,
      LINLI_SESSION_STATE_IDLE },
    { LINLI_SESSION_STATE_WARNING, LINLI_SESSION_EVENT_FINISH, LINLI_SESSION_STATE_IDLE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      LinliSessionState next = 99;
      gboolean valid = linli_session_state_next (table[i].from, table[i].event, &next);

      if (table[i].to < 0)
        {
          g_assert_false (valid);
          g_assert_cmpint (next, ==, table[i].from);
        }
      else
        {
          g_assert_true (valid);
          g_assert_cmpint (next, ==, table[i].to);
        }
    }
}

static void
on_ended (LinliSession *session, LinliSessionEndReason reason, gpointer user_data)
{
  int *out = user_data;

  /* The data is already gone when listeners hear of the end. */
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 0);
  *out = (int) reason;
}

static void
test_finish_wipes (void)
{
  g_autoptr (LinliSession) session = linli_session_new (60, 30, 2);
  g_autoptr (LinliSecret) name = linli_secret_new_string ("王小明");
  const guint8 photo_bytes[] = { 0x57, 0x4c, 0x54, 0x01, 0x02, 0xff, 0x00, 0x7f };
  g_autoptr (LinliSecret) photo = linli_secret_new (photo_bytes, sizeof photo_bytes);
  const guint8 *data;
  gsize size = 0;
  int reason = -1;

  g_signal_connect (session, "ended", G_CALLBACK (on_ended), &reason);
  g_assert_true (linli_session_begin (session));
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (linli_session_get_serial (session), ==, 1);

  linli_session_keep (session, "name", name);
  linli_session_keep (session, "photo", photo);
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 2);
  g_assert_cmpstr (linli_secret_get_string (linli_session_lookup (session, "name")), ==, "王小明");

  linli_session_finish (session, LINLI_SESSION_END_FINISHED);
  g_assert_cmpint (reason, ==, LINLI_SESSION_END_FINISHED);
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_IDLE);
  g_assert_null (linli_session_lookup (session, "name"));

  /* We still hold references: the bytes must really be zero now. */
  data = linli_secret_get_data (name, &size);
  g_assert_cmpuint (size, ==, strlen ("王小明"));
  for (gsize i = 0; i <= size; i++)
    g_assert_cmpuint (data[i], ==, 0);
  data = linli_secret_get_data (photo, &size);
  g_assert_cmpuint (size, ==, sizeof photo_bytes);
  for (gsize i = 0; i < size; i++)
    g_assert_cmpuint (data[i], ==, 0);
  g_assert_true (linli_secret_is_wiped (name));
  g_assert_true (linli_secret_is_wiped (photo));
}

/* A 128×96 grey JPEG (ImageMagick): a stand-in for a captured page. */
static const guint8 tiny_jpeg[]
    = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c,
        0x0a, 0x10, 0x0e, 0x0d, 0x0e, 0x12, 0x11, 0x10, 0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16,
        0x18, 0x31, 0x23, 0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33, 0x38, 0x37, 0x40,
        0x48, 0x5c, 0x4e, 0x40, 0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51, 0x57, 0x5f, 0x62,
        0x67, 0x68, 0x67, 0x3e, 0x4d, 0x71, 0x79, 0x70, 0x64, 0x78, 0x5c, 0x65, 0x67, 0x63, 0xff,
        0xc0, 0x00, 0x0b, 0x08, 0x00, 0x60, 0x00, 0x80, 0x01, 0x01, 0x11, 0x00, 0xff, 0xc4, 0x00,
        0x15, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x06, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00,
        0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0xa8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0xd9 };

static gboolean
all_zero (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; i < size; i++)
    if (data[i] != 0)
      return FALSE;
  return size > 0;
}

static void
test_finish_wipes_pages_and_photo (void)
{
  g_autoptr (LinliSession) session = linli_session_new (60, 30, 2);
  g_autoptr (GBytes) jpeg = g_bytes_new_static (tiny_jpeg, sizeof tiny_jpeg);
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliDocumentPage) page = NULL;
  g_autoptr (LinliDocumentPages) held = NULL;
  g_autoptr (GBytes) page_jpeg = NULL;
  g_autoptr (GBytes) photo = NULL;

  /* Outside a session there is nowhere to keep pages. */
  g_assert_null (linli_session_get_pages (session, "hukou_booklet"));

  g_assert_true (linli_session_begin (session));
  held = g_object_ref (linli_session_get_pages (session, "hukou_booklet"));
  g_assert_true (held == linli_session_get_pages (session, "hukou_booklet"));
  g_assert_true (held != linli_session_get_pages (session, "bank_card"));
  page = linli_document_page_new (jpeg, &error);
  g_assert_no_error (error);
  linli_document_pages_append (held, page);
  linli_document_pages_append (linli_session_get_pages (session, "bank_card"), page);
  g_assert_cmpuint (linli_session_count_pages (session), ==, 2);
  page_jpeg = g_bytes_ref (linli_document_page_get_jpeg (page));

  linli_session_set_photo (session, jpeg);
  photo = linli_session_dup_photo (session);
  g_assert_nonnull (photo);
  g_assert_cmpmem (g_bytes_get_data (photo, NULL), g_bytes_get_size (photo), tiny_jpeg,
                   sizeof tiny_jpeg);
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 1);

  linli_session_finish (session, LINLI_SESSION_END_FINISHED);

  /* Everything a screen may still hold reads as zeros, and nothing is left. */
  g_assert_cmpuint (linli_session_count_pages (session), ==, 0);
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (held)), ==, 0);
  g_assert_null (linli_document_page_get_jpeg (page));
  g_assert_true (all_zero (page_jpeg));
  g_assert_true (all_zero (photo));
  g_assert_null (linli_session_dup_photo (session));

  /* The next visit starts with no pages. */
  g_assert_true (linli_session_begin (session));
  g_assert_cmpuint (
      g_list_model_get_n_items (G_LIST_MODEL (linli_session_get_pages (session, "hukou_booklet"))),
      ==, 0);
  g_assert_true (linli_session_get_pages (session, "hukou_booklet") != held);
}

static void
test_replaced_value_wiped (void)
{
  g_autoptr (LinliSession) session = linli_session_new (60, 30, 2);
  g_autoptr (LinliSecret) first = linli_secret_new_string ("370102199001011234");
  g_autoptr (LinliSecret) second = linli_secret_new_string ("370102199001015678");

  linli_session_begin (session);
  linli_session_keep (session, "id", first);
  linli_session_keep (session, "id", second);
  g_assert_true (linli_secret_is_wiped (first));
  g_assert_cmpstr (linli_secret_get_string (first), ==, "");
  g_assert_false (linli_secret_is_wiped (second));
  linli_session_finish (session, LINLI_SESSION_END_FINISHED);
  g_assert_true (linli_secret_is_wiped (second));
}

static void
test_keep_outside_session (void)
{
  g_autoptr (LinliSession) session = linli_session_new (60, 30, 2);
  g_autoptr (LinliSecret) stray = linli_secret_new_string ("王小明");

  /* Data arriving with no session (a card read late) is not kept. */
  linli_session_keep (session, "name", stray);
  g_assert_true (linli_secret_is_wiped (stray));
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 0);
}

static void
test_dispose_wipes (void)
{
  LinliSession *session = linli_session_new (60, 30, 2);
  g_autoptr (LinliSecret) secret = linli_secret_new_string ("住址");

  linli_session_begin (session);
  linli_session_keep (session, "address", secret);
  g_object_unref (session);
  g_assert_true (linli_secret_is_wiped (secret));
}

typedef struct
{
  GMainLoop *loop;
  GArray *states;
  int reason;
} TimerFixture;

static void
on_state (LinliSession *session, GParamSpec *pspec, TimerFixture *fixture)
{
  LinliSessionState state = linli_session_get_state (session);

  g_array_append_val (fixture->states, state);
  if (state == LINLI_SESSION_STATE_WARNING)
    g_assert_cmpuint (linli_session_get_seconds_left (session), ==, 2);
}

static void
on_timer_ended (LinliSession *session, LinliSessionEndReason reason, TimerFixture *fixture)
{
  fixture->reason = (int) reason;
  g_main_loop_quit (fixture->loop);
}

static gboolean
on_too_long (gpointer user_data)
{
  g_error ("the session did not time out");
  return G_SOURCE_REMOVE;
}

/* Real timers: 1 s of quiet, a 2 s countdown, then a wiped, ended session. */
static void
test_timeout_ends_session (void)
{
  g_autoptr (LinliSession) session = linli_session_new (1, 2, 2);
  g_autoptr (LinliSecret) secret = linli_secret_new_string ("王小明");
  TimerFixture fixture = { g_main_loop_new (NULL, FALSE),
                           g_array_new (FALSE, FALSE, sizeof (LinliSessionState)), -1 };
  guint guard = g_timeout_add_seconds (10, on_too_long, NULL);

  g_signal_connect (session, "notify::state", G_CALLBACK (on_state), &fixture);
  g_signal_connect (session, "ended", G_CALLBACK (on_timer_ended), &fixture);
  linli_session_begin (session);
  linli_session_keep (session, "name", secret);
  g_main_loop_run (fixture.loop);
  g_source_remove (guard);

  g_assert_cmpint (fixture.reason, ==, LINLI_SESSION_END_TIMEOUT);
  g_assert_cmpuint (fixture.states->len, ==, 3);
  g_assert_cmpint (g_array_index (fixture.states, LinliSessionState, 0), ==,
                   LINLI_SESSION_STATE_ACTIVE);
  g_assert_cmpint (g_array_index (fixture.states, LinliSessionState, 1), ==,
                   LINLI_SESSION_STATE_WARNING);
  g_assert_cmpint (g_array_index (fixture.states, LinliSessionState, 2), ==,
                   LINLI_SESSION_STATE_IDLE);
  g_assert_true (linli_secret_is_wiped (secret));

  g_main_loop_unref (fixture.loop);
  g_array_unref (fixture.states);
}

static gboolean
touch_during_warning (gpointer user_data)
{
  LinliSession *session = user_data;

  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_WARNING);
  linli_session_activity (session);
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (linli_session_get_seconds_left (session), ==, 0);
  return G_SOURCE_REMOVE;
}

static void
on_warning_entered (LinliSession *session, GParamSpec *pspec, guint *warnings)
{
  if (linli_session_get_state (session) == LINLI_SESSION_STATE_WARNING && ++(*warnings) == 1)
    g_idle_add (touch_during_warning, session);
}

static void
on_quit_loop (LinliSession *session, LinliSessionEndReason reason, GMainLoop *loop)
{
  g_main_loop_quit (loop);
}

/* One touch during the countdown keeps the session; it warns again later. */
static void
test_touch_extends (void)
{
  g_autoptr (LinliSession) session = linli_session_new (1, 1, 2);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint warnings = 0;
  guint guard = g_timeout_add_seconds (10, on_too_long, NULL);

  g_signal_connect (session, "notify::state", G_CALLBACK (on_warning_entered), &warnings);
  g_signal_connect (session, "ended", G_CALLBACK (on_quit_loop), loop);
  linli_session_begin (session);
  g_main_loop_run (loop);
  g_source_remove (guard);
  g_assert_cmpuint (warnings, ==, 2);
}

static void
test_more_time (void)
{
  g_autoptr (LinliSession) session = linli_session_new (60, 30, 3);

  linli_session_request_more_time (session);
  g_assert_false (linli_session_get_more_time (session)); /* no session, nothing to extend */
  linli_session_begin (session);
  linli_session_request_more_time (session);
  g_assert_true (linli_session_get_more_time (session));
  linli_session_finish (session, LINLI_SESSION_END_FINISHED);
  /* The next resident starts with the normal time. */
  g_assert_false (linli_session_get_more_time (session));
  g_assert_true (linli_session_begin (session));
  g_assert_false (linli_session_get_more_time (session));
  g_assert_cmpuint (linli_session_get_serial (session), ==, 2);
  g_assert_false (linli_session_begin (session));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/transition-table", test_transition_table);
  g_test_add_func ("/session/finish-wipes", test_finish_wipes);
  g_test_add_func ("/session/finish-wipes-pages-and-photo", test_finish_wipes_pages_and_photo);
  g_test_add_func ("/session/replaced-value-wiped", test_replaced_value_wiped);
  g_test_add_func ("/session/keep-outside-session", test_keep_outside_session);
  g_test_add_func ("/session/dispose-wipes", test_dispose_wipes);
  g_test_add_func ("/session/timeout-ends-session", test_timeout_ends_session);
  g_test_add_func ("/session/touch-extends", test_touch_extends);
  g_test_add_func ("/session/more-time", test_more_time);

  return g_test_run ();
}
