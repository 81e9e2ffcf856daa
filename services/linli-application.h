/* linli-application.h — applications (办件) and their evaluation (好差评):
 * Application, ApplicationList, Evaluation; and LinliApplicationForm, what
 * the kiosk files (ApplicationRequest and its pages).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-platform-json.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_APPLICATION_STATUS_RECEIVED,
  LINLI_APPLICATION_STATUS_ACCEPTED,
  LINLI_APPLICATION_STATUS_IN_PROGRESS,
  LINLI_APPLICATION_STATUS_NEEDS_MORE,
  LINLI_APPLICATION_STATUS_APPROVED,
  LINLI_APPLICATION_STATUS_REJECTED,
  LINLI_APPLICATION_STATUS_COMPLETED,
  LINLI_APPLICATION_STATUS_WITHDRAWN,
} LinliApplicationStatus;

/* GB/T 39735: 非常满意 … 非常不满意. */
typedef enum
{
  LINLI_EVALUATION_VERY_SATISFIED,
  LINLI_EVALUATION_SATISFIED,
  LINLI_EVALUATION_BASICALLY_SATISFIED,
  LINLI_EVALUATION_DISSATISFIED,
  LINLI_EVALUATION_VERY_DISSATISFIED,
} LinliEvaluationGrade;

typedef enum
{
  LINLI_SUBMITTER_RESIDENT,
  LINLI_SUBMITTER_STAFF,
} LinliSubmitterRole;

const char *linli_application_status_to_string (LinliApplicationStatus status);
gboolean linli_application_status_from_string (const char *name, LinliApplicationStatus *status);
const char *linli_evaluation_grade_to_string (LinliEvaluationGrade grade);
const char *linli_submitter_role_to_string (LinliSubmitterRole role);

/* ---- Evaluation ---- */

typedef struct
{
  char *application_number;
  LinliEvaluationGrade grade;
  GDateTime *evaluated_at;
} LinliEvaluation;

GType linli_evaluation_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_EVALUATION (linli_evaluation_get_type ())
LinliEvaluation *linli_evaluation_new_from_json (JsonNode *node, GError **error);
LinliEvaluation *linli_evaluation_ref (LinliEvaluation *self);
void linli_evaluation_unref (LinliEvaluation *self);

/* The JSON body of submitEvaluation (POST to
 * linli_platform_path_evaluation()). @comment (≤ 200 characters) and
 * @reasons (≤ 10 codes) may be NULL. *content_type (may be NULL) is set to
 * "application/json". */
GBytes *linli_platform_encode_evaluation (LinliEvaluationGrade grade,
                                          const char *comment,
                                          const char *const *reasons,
                                          char **content_type,
                                          GError **error);

/* ---- Application ---- */

typedef struct
{
  char *application_number;
  char *item_code;
  LinliLocalizedText *title;
  LinliApplicationStatus status;
  LinliLocalizedText *status_text;
  GDateTime *submitted_at;
  GDateTime *updated_at;
  char *expected_by;           /* YYYY-MM-DD or NULL */
  gboolean evaluable;          /* FALSE when absent */
  LinliEvaluation *evaluation; /* or NULL */
} LinliApplication;

GType linli_application_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_APPLICATION (linli_application_get_type ())
LinliApplication *linli_application_new_from_json (JsonNode *node, GError **error);
LinliApplication *linli_application_ref (LinliApplication *self);
void linli_application_unref (LinliApplication *self);

typedef struct
{
  GPtrArray *applications; /* LinliApplication *, newest first */
} LinliApplicationList;

GType linli_application_list_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_APPLICATION_LIST (linli_application_list_get_type ())
LinliApplicationList *linli_application_list_new_from_json (JsonNode *node, GError **error);
LinliApplicationList *linli_application_list_ref (LinliApplicationList *self);
void linli_application_list_unref (LinliApplicationList *self);

/* ---- What the kiosk files ---- */

/* The field values, the captured pages and who submitted: personal data,
 * wiped when freed. The pages are referenced, not copied (the session owns
 * and wipes them). */
typedef struct _LinliApplicationForm LinliApplicationForm;

LinliApplicationForm *linli_application_form_new (const char *item_code, const char *resident_ref);
void linli_application_form_free (LinliApplicationForm *form);
void linli_application_form_set_catalog_etag (LinliApplicationForm *form, const char *etag);
/* Default: the resident alone. @staff_id is required for staff. */
void linli_application_form_set_submitted_by (LinliApplicationForm *form,
                                              LinliSubmitterRole role,
                                              const char *staff_id);
/* When the resident confirmed the summary (default: not sent). */
void linli_application_form_set_confirmed_at (LinliApplicationForm *form, GDateTime *confirmed_at);
void linli_application_form_set_string (LinliApplicationForm *form,
                                        const char *name,
                                        const char *value);
void linli_application_form_set_int (LinliApplicationForm *form, const char *name, gint64 value);
void linli_application_form_set_boolean (LinliApplicationForm *form,
                                         const char *name,
                                         gboolean value);
/* One captured document, its pages in order; @content_type "image/jpeg" or
 * "application/pdf". */
void linli_application_form_add_document (LinliApplicationForm *form,
                                          const char *name,
                                          const char *content_type,
                                          GBytes *const *pages,
                                          guint n_pages);

/* The multipart/form-data body of createApplication (POST /applications):
 * the JSON part
 * `application` and one `pages` part per page, in manifest order; checked
 * against the contract's limits first (names, sizes, counts). Bytes and
 * content type are what the outbox stores and resends as they are. */
GBytes *linli_platform_encode_application (LinliApplicationForm *form,
                                           char **content_type,
                                           GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliEvaluation, linli_evaluation_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliApplication, linli_application_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliApplicationList, linli_application_list_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliApplicationForm, linli_application_form_free)

G_END_DECLS
