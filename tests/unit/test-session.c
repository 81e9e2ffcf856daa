/* Unit tests of LinliSession: the transition table, the timers, and the
 * wipe of personal data. */
#include "linli-session.h"

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
  g_test_add_func ("/session/replaced-value-wiped", test_replaced_value_wiped);
  g_test_add_func ("/session/keep-outside-session", test_keep_outside_session);
  g_test_add_func ("/session/dispose-wipes", test_dispose_wipes);
  g_test_add_func ("/session/timeout-ends-session", test_timeout_ends_session);
  g_test_add_func ("/session/touch-extends", test_touch_extends);
  g_test_add_func ("/session/more-time", test_more_time);

  return g_test_run ();
}
