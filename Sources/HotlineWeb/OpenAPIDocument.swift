/// The JSON API's description, served at `/openapi.yaml`. Route tests check the API's answers
/// against it, and `make test` fuzzes the API from it with schemathesis.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.0.3
        info:
          title: Hotline Case Center API
          version: "1.0"
          description: >-
            The Case Center, the desk's pages and the line's on-call rota as JSON. Sign in at /login
            (form fields email and password) to get the session cookie; every POST also needs the
            session's CSRF token (GET /api/me, csrf_token) in X-CSRF-Token and an Origin header
            equal to this server's. A case of another account is answered exactly as a case that
            does not exist (404).
        servers:
          - url: /
        security:
          - session: []
        components:
          securitySchemes:
            session:
              type: apiKey
              in: cookie
              name: hotline_session
            csrf:
              type: apiKey
              in: header
              name: X-CSRF-Token
          parameters:
            CaseNumber:
              name: number
              in: path
              required: true
              description: The 8-digit case number.
              schema: { type: string }
          responses:
            Problem:
              description: The request was refused; `message` says why.
              content:
                application/json:
                  schema: { $ref: '#/components/schemas/Problem' }
          schemas:
            Problem:
              type: object
              required: [error, message]
              properties:
                error: { type: string }
                message: { type: string }
            SLA:
              type: object
              required: [state, due_at, target_minutes, used_percent, remaining_seconds]
              properties:
                state: { type: string, enum: [running, warning, breached, met] }
                due_at: { type: string, format: date-time }
                target_minutes: { type: integer }
                used_percent: { type: integer }
                remaining_seconds: { type: integer }
            Case:
              type: object
              required: [number, account_id, account_name, tier, priority, status, level, skill, summary, created_at, response_due_at, sla_policy, sla]
              properties:
                number: { type: string }
                account_id: { type: string }
                account_name: { type: string }
                tier: { type: string }
                contact_name: { type: string }
                priority: { type: string, enum: [P1, P2, P3] }
                status: { type: string, enum: [new, open, pending-customer, escalated, closed] }
                level: { type: string, enum: [L0, L1, L2, L3] }
                skill: { type: string }
                owner: { type: string }
                summary: { type: string }
                created_at: { type: string, format: date-time }
                response_due_at: { type: string, format: date-time }
                sla_policy: { type: string }
                sla: { $ref: '#/components/schemas/SLA' }
            FeedEntry:
              type: object
              required: [id, case_number, at, kind, author, author_role, body]
              properties:
                id: { type: integer }
                case_number: { type: string }
                at: { type: string, format: date-time }
                kind: { type: string }
                author: { type: string }
                author_role: { type: string, enum: [customer, support, system] }
                body: { type: string }
                channel: { type: string }
                escalation_id: { type: string }
            Page:
              type: object
              required: [id, escalation, case_number, level, person, state, sent_at, ack_deadline]
              properties:
                id: { type: string }
                escalation: { type: string }
                case_number: { type: string }
                level: { type: integer }
                person: { type: string }
                state: { type: string, enum: [sent, acknowledged, escalated, exhausted] }
                sent_at: { type: string, format: date-time }
                ack_deadline: { type: string, format: date-time }
                acknowledged_by: { type: string }
                acknowledged_at: { type: string, format: date-time }
            ActionResult:
              type: object
              required: [message, entry, case, pages]
              properties:
                message: { type: string }
                entry: { $ref: '#/components/schemas/FeedEntry' }
                case: { $ref: '#/components/schemas/Case' }
                pages:
                  type: array
                  items: { $ref: '#/components/schemas/Page' }
            Call:
              type: object
              required: [caller_id, started_at, ended_at, outcome, path]
              properties:
                caller_id: { type: string }
                started_at: { type: string, format: date-time }
                ended_at: { type: string, format: date-time }
                outcome: { type: string }
                case_number: { type: string }
                queue: { type: string }
                path:
                  type: array
                  items: { type: string }
            OnCall:
              type: object
              required: [line]
              properties:
                line: { type: string }
                person: { type: string }
                until: { type: string, format: date-time }
                next: { type: string }
            Queue:
              type: object
              required: [name, waiting, escalated_cases]
              properties:
                name: { type: string }
                waiting: { type: integer }
                escalated_cases: { type: integer }
            Me:
              type: object
              required: [email, role, csrf_token]
              properties:
                email: { type: string }
                role: { type: string, enum: [customer, agent, manager, trainer] }
                account_id: { type: string }
                csrf_token: { type: string }
        paths:
          /api/me:
            get:
              summary: Who is signed in, and the session's CSRF token.
              responses:
                '200':
                  description: The signed-in user.
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Me' }
                '401': { $ref: '#/components/responses/Problem' }
          /api/cases:
            get:
              summary: The cases this user may see, most urgent first.
              parameters:
                - name: status
                  in: query
                  schema: { type: string, enum: [new, open, pending-customer, escalated, closed] }
                - name: priority
                  in: query
                  schema: { type: string, enum: [P1, P2, P3] }
              responses:
                '200':
                  description: Cases with their SLA state.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: { $ref: '#/components/schemas/Case' }
                '400': { $ref: '#/components/responses/Problem' }
                '401': { $ref: '#/components/responses/Problem' }
          /api/cases/{number}:
            get:
              summary: Case Detail with the SLA countdown.
              parameters: [{ $ref: '#/components/parameters/CaseNumber' }]
              responses:
                '200':
                  description: The case.
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Case' }
                '401': { $ref: '#/components/responses/Problem' }
                '404': { $ref: '#/components/responses/Problem' }
          /api/cases/{number}/feed:
            get:
              summary: Show Feed, oldest first.
              parameters: [{ $ref: '#/components/parameters/CaseNumber' }]
              responses:
                '200':
                  description: The case's feed.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: { $ref: '#/components/schemas/FeedEntry' }
                '401': { $ref: '#/components/responses/Problem' }
                '404': { $ref: '#/components/responses/Problem' }
          /api/cases/{number}/comments:
            post:
              summary: Case Comments — add a comment.
              security: [{ session: [], csrf: [] }]
              parameters: [{ $ref: '#/components/parameters/CaseNumber' }]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [body]
                      properties:
                        body: { type: string, maxLength: 10000 }
              responses: &actionResponses
                '200':
                  description: Done; the feed entry it wrote and the case after it.
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/ActionResult' }
                '400': { $ref: '#/components/responses/Problem' }
                '401': { $ref: '#/components/responses/Problem' }
                '403': { $ref: '#/components/responses/Problem' }
                '404': { $ref: '#/components/responses/Problem' }
                '409': { $ref: '#/components/responses/Problem' }
                '413': { description: The body is too large. }
                '422': { $ref: '#/components/responses/Problem' }
          /api/cases/{number}/priority:
            post:
              summary: Change Priority — the response due time is recomputed.
              security: [{ session: [], csrf: [] }]
              parameters: [{ $ref: '#/components/parameters/CaseNumber' }]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [priority]
                      properties:
                        priority: { type: string, enum: [P1, P2, P3] }
                        reason: { type: string, maxLength: 2000 }
              responses: *actionResponses
          /api/cases/{number}/escalate:
            post:
              summary: Escalate Now — records an escalation (channel web) and pages the Escalation Manager on call.
              security: [{ session: [], csrf: [] }]
              parameters: [{ $ref: '#/components/parameters/CaseNumber' }]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [reason]
                      properties:
                        reason: { type: string, maxLength: 2000 }
              responses: *actionResponses
          /api/cases/{number}/close:
            post:
              summary: Close Case.
              security: [{ session: [], csrf: [] }]
              parameters: [{ $ref: '#/components/parameters/CaseNumber' }]
              requestBody:
                required: false
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        note: { type: string, maxLength: 2000 }
              responses: *actionResponses
          /api/pages:
            get:
              summary: Pages to Escalation Managers, oldest first (agents, managers, trainers).
              responses:
                '200':
                  description: Pages.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: { $ref: '#/components/schemas/Page' }
                '401': { $ref: '#/components/responses/Problem' }
                '403': { $ref: '#/components/responses/Problem' }
          /api/pages/{id}/ack:
            post:
              summary: Acknowledge a page (managers).
              security: [{ session: [], csrf: [] }]
              parameters:
                - name: id
                  in: path
                  required: true
                  schema: { type: string }
              responses:
                '200':
                  description: The page acknowledged.
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Page' }
                '401': { $ref: '#/components/responses/Problem' }
                '403': { $ref: '#/components/responses/Problem' }
                '404': { $ref: '#/components/responses/Problem' }
                '409': { $ref: '#/components/responses/Problem' }
          /api/oncall:
            get:
              summary: Who is on call on each rota line now, until when, and who is next.
              responses:
                '200':
                  description: Rota lines.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: { $ref: '#/components/schemas/OnCall' }
                '401': { $ref: '#/components/responses/Problem' }
                '403': { $ref: '#/components/responses/Problem' }
          /api/calls:
            get:
              summary: The last 100 call records (agents, trainers).
              responses:
                '200':
                  description: Call records, oldest first.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: { $ref: '#/components/schemas/Call' }
                '401': { $ref: '#/components/responses/Problem' }
                '403': { $ref: '#/components/responses/Problem' }
          /api/queues:
            get:
              summary: Open cases waiting per skill, and how many of them are escalated.
              responses:
                '200':
                  description: Queues.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: { $ref: '#/components/schemas/Queue' }
                '401': { $ref: '#/components/responses/Problem' }
                '403': { $ref: '#/components/responses/Problem' }

        """
}
