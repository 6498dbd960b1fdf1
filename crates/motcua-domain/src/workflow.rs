//! Internal processes as data: a procedure's ordered steps (who, where, how long) and the one rule that says who may
//! act on a dossier now.

use crate::calendar::{TimeLimit, TimeUnit};
use crate::ids::{AgencyId, UserId};
use crate::role::Role;
use crate::status::{Action, Status, TransitionError};
use serde::{Deserialize, Serialize};

mod budget;
pub use budget::{budget_text, parse_budget};

/// Working minutes in one working day (07:00–11:30 and 13:30–17:00).
pub const DAY_MINUTES: i64 = 480;

/// What finishes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Examine and hand on (`forward`).
    Process,
    /// Decide and sign (`approve`): the result is ready.
    Approve,
    /// Hand the result over (`return_result`).
    Return,
}

impl StepKind {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            StepKind::Process => "process",
            StepKind::Approve => "approve",
            StepKind::Return => "return",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<StepKind> {
        [StepKind::Process, StepKind::Approve, StepKind::Return]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a step is performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The agency that received the dossier (the one-stop center).
    Receiving,
    /// The competent agency (the commune People's Committee, a provincial department…).
    Competent,
}

impl Place {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Place::Receiving => "receiving",
            Place::Competent => "competent",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Place> {
        [Place::Receiving, Place::Competent]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// One step of a workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    /// Vietnamese name of the step.
    pub name: String,
    pub role: Role,
    pub place: Place,
    pub kind: StepKind,
    /// Time budget in working days; fractions allowed (0.25 = 2 working hours).
    pub days: f64,
}

impl StepDef {
    /// The budget in working minutes.
    pub fn minutes(&self) -> i64 {
        // Budgets are validated to 0..=3650 days in quarter-hour precision, so the cast cannot overflow.
        #[allow(clippy::cast_possible_truncation)]
        let m = (self.days * DAY_MINUTES as f64).round() as i64;
        m
    }
}

/// An internal process: the ordered steps from valid intake to the result handed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    pub steps: Vec<StepDef>,
}

/// A workflow that cannot be used, with the reason in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{en}")]
pub struct WorkflowError {
    pub vi: String,
    pub en: String,
}

/// The statutory limit in working minutes, when it is counted in working time.
pub fn limit_minutes(limit: TimeLimit) -> Option<i64> {
    #[allow(clippy::cast_possible_truncation)]
    let r = |x: f64| x.round() as i64;
    match limit.unit {
        TimeUnit::WorkingDays => Some(r(limit.amount * DAY_MINUTES as f64)),
        TimeUnit::Hours => Some(r(limit.amount * 60.0)),
        TimeUnit::SameDay => Some(DAY_MINUTES),
        TimeUnit::Days | TimeUnit::Months => None,
    }
}

/// A limit of so many working minutes, as a time limit in working days.
pub fn working_limit(minutes: i64) -> TimeLimit {
    #[allow(clippy::cast_precision_loss)]
    let amount = minutes as f64 / DAY_MINUTES as f64;
    TimeLimit {
        amount,
        unit: TimeUnit::WorkingDays,
    }
}

/// Where a dossier's time limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitSource {
    /// The procedure's published record (the national catalog).
    Catalog,
    /// The internal workflow issued for the procedure (or its case) sets the limit, because the published record
    /// gives none or the case has its own: the province's, or the national one.
    Workflow,
    /// A rule of law for the whole field, where the record states nothing: certification of copies and signatures
    /// is done on the day of the request (the next working day after 15:00), Decree 23/2015/NĐ-CP art. 20.
    Law,
}

impl LimitSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LimitSource::Catalog => "catalog",
            LimitSource::Workflow => "workflow",
            LimitSource::Law => "law",
        }
    }

    pub fn parse(s: &str) -> Option<LimitSource> {
        match s {
            "catalog" => Some(LimitSource::Catalog),
            "workflow" => Some(LimitSource::Workflow),
            "law" => Some(LimitSource::Law),
            _ => None,
        }
    }

    /// How the dossier page and the receipt name it.
    pub fn vi(self) -> &'static str {
        match self {
            LimitSource::Catalog => "theo thủ tục hành chính được công bố",
            LimitSource::Workflow => {
                "theo quy trình nội bộ đã ban hành; thủ tục được công bố không ghi thời hạn"
            }
            LimitSource::Law => {
                "theo Nghị định 23/2015/NĐ-CP, Điều 20: trong ngày, sau 15 giờ thì ngày làm việc tiếp theo"
            }
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            LimitSource::Catalog => "as the published procedure states",
            LimitSource::Workflow => {
                "set by the issued internal workflow; the published procedure states no limit"
            }
            LimitSource::Law => {
                "Decree 23/2015/NĐ-CP art. 20: the same day, the next working day after 15:00"
            }
        }
    }
}

/// The limit the law sets for a whole field where a record states none (see [`LimitSource::Law`]).
pub fn statutory_limit(field_key: &str) -> Option<TimeLimit> {
    field_key.contains("chung thuc").then_some(TimeLimit {
        amount: 0.0,
        unit: TimeUnit::SameDay,
    })
}

/// The limit a dossier is received under: a case's own limit (set by the province) first, then the published one,
/// then the field's statutory one, then the total of a workflow an administrator set for the procedure. `None`:
/// nobody has set one, and the dossier cannot be given an appointment date.
pub fn choose_limit(
    published: Option<TimeLimit>,
    field_key: &str,
    case_minutes: Option<i64>,
    set_workflow_minutes: Option<i64>,
) -> Option<(TimeLimit, LimitSource)> {
    if let Some(m) = case_minutes.filter(|m| *m > 0) {
        return Some((working_limit(m), LimitSource::Workflow));
    }
    if let Some(l) = published {
        return Some((l, LimitSource::Catalog));
    }
    if let Some(l) = statutory_limit(field_key) {
        return Some((l, LimitSource::Law));
    }
    set_workflow_minutes
        .filter(|m| *m > 0)
        .map(|m| (working_limit(m), LimitSource::Workflow))
}

fn step(name: &str, role: Role, place: Place, kind: StepKind, minutes: i64) -> StepDef {
    #[allow(clippy::cast_precision_loss)]
    let days = minutes as f64 / DAY_MINUTES as f64;
    StepDef {
        name: name.to_owned(),
        role,
        place,
        kind,
        days,
    }
}

/// Rounds to a quarter of an hour.
fn quarter(m: i64) -> i64 {
    (m / 15) * 15
}

impl Workflow {
    /// The default process: the one-stop officer receives and hands over, a specialist of the competent agency
    /// examines, its leader signs, the one-stop officer returns the result. Budgets share the limit 10/60/20/10.
    pub fn standard(limit_minutes: i64) -> Workflow {
        let total = limit_minutes.max(60);
        let intake = quarter(total / 10).max(15);
        let approve = quarter(total / 5).max(15);
        let ret = quarter(total / 10).max(15);
        let process = (total - intake - approve - ret).max(15);
        Workflow {
            steps: vec![
                step(
                    "Tiếp nhận, số hóa và chuyển hồ sơ",
                    Role::ReceivingOfficer,
                    Place::Receiving,
                    StepKind::Process,
                    intake,
                ),
                step(
                    "Thẩm định, xử lý hồ sơ",
                    Role::Specialist,
                    Place::Competent,
                    StepKind::Process,
                    process,
                ),
                step(
                    "Phê duyệt, ký kết quả",
                    Role::Leader,
                    Place::Competent,
                    StepKind::Approve,
                    approve,
                ),
                step(
                    "Trả kết quả",
                    Role::ReceivingOfficer,
                    Place::Receiving,
                    StepKind::Return,
                    ret,
                ),
            ],
        }
    }

    /// The shortened process (e.g. certification of copies): the receiving officer assesses, signs and returns on
    /// the spot.
    pub fn on_the_spot(limit_minutes: i64) -> Workflow {
        let total = limit_minutes.max(30);
        let ret = 15.min(total / 2);
        Workflow {
            steps: vec![
                step(
                    "Thẩm định, ký chứng thực tại chỗ",
                    Role::ReceivingOfficer,
                    Place::Receiving,
                    StepKind::Approve,
                    total - ret,
                ),
                step(
                    "Trả kết quả",
                    Role::ReceivingOfficer,
                    Place::Receiving,
                    StepKind::Return,
                    ret,
                ),
            ],
        }
    }

    /// The default template for a procedure: on-the-spot for certification (chứng thực) done within a working day
    /// or whose time was not parsed from the catalog, standard otherwise. A limit that is not counted in working
    /// time (calendar days, months) or not known gets budgets for 5 working days (1 for certification) as a starting
    /// point that an administrator is expected to edit [placeholder, not a legal time limit].
    pub fn default_for(field_key: &str, limit: Option<TimeLimit>) -> Workflow {
        let certification = field_key.contains("chung thuc");
        let minutes = limit.and_then(limit_minutes);
        if certification && minutes.is_none_or(|m| m <= DAY_MINUTES) {
            Workflow::on_the_spot(minutes.unwrap_or(DAY_MINUTES))
        } else {
            Workflow::standard(minutes.unwrap_or(5 * DAY_MINUTES))
        }
    }

    /// Total budget in working minutes.
    pub fn total_minutes(&self) -> i64 {
        self.steps.iter().map(StepDef::minutes).sum()
    }

    /// Checks the shape: 1–20 steps with names, budgets in quarter hours, exactly one approval step followed only
    /// by the one return step, which is last; and when the statutory limit is counted in working time, budgets that
    /// add up to it exactly.
    pub fn validate(&self, limit: Option<TimeLimit>) -> Result<(), WorkflowError> {
        let bad = |vi: String, en: String| Err(WorkflowError { vi, en });
        if self.steps.is_empty() || self.steps.len() > 20 {
            return bad(
                "Quy trình có từ 1 đến 20 bước".into(),
                "a workflow has 1 to 20 steps".into(),
            );
        }
        for (i, s) in self.steps.iter().enumerate() {
            let n = i + 1;
            if s.name.trim().is_empty() || s.name.chars().count() > 200 {
                return bad(
                    format!("Bước {n}: nhập tên bước (tối đa 200 ký tự)"),
                    format!("step {n}: give a name (at most 200 characters)"),
                );
            }
            if !s.days.is_finite() || s.days < 0.0 || s.days > 3650.0 {
                return bad(
                    format!("Bước {n}: thời gian từ 0 đến 3650 ngày làm việc"),
                    format!("step {n}: budget is 0 to 3650 working days"),
                );
            }
            if s.minutes() % 15 != 0 {
                return bad(
                    format!("Bước {n}: thời gian tính theo bội số 15 phút (1 ngày = 8 giờ)"),
                    format!("step {n}: budgets go in quarter hours (1 day = 8 hours)"),
                );
            }
            if matches!(
                s.role,
                Role::Citizen | Role::ProvinceAdmin | Role::SystemAdmin
            ) {
                return bad(
                    format!("Bước {n}: vai trò không xử lý hồ sơ"),
                    format!("step {n}: this role does not process dossiers"),
                );
            }
        }
        let kinds: Vec<StepKind> = self.steps.iter().map(|s| s.kind).collect();
        let approvals = kinds.iter().filter(|k| **k == StepKind::Approve).count();
        let returns = kinds.iter().filter(|k| **k == StepKind::Return).count();
        let n = kinds.len();
        if approvals != 1
            || returns != 1
            || kinds[n - 1] != StepKind::Return
            || n < 2
            || kinds[n - 2] != StepKind::Approve
        {
            return bad(
                "Quy trình có đúng một bước phê duyệt, ngay sau đó là bước trả kết quả ở cuối".into(),
                "a workflow has exactly one approval step, followed by the return step, which is last".into(),
            );
        }
        if let Some(want) = limit.and_then(limit_minutes) {
            let got = self.total_minutes();
            if got != want {
                return bad(
                    format!(
                        "Tổng thời gian các bước ({}) phải bằng thời hạn giải quyết ({}): {} {}",
                        budget_text(got, true),
                        budget_text(want, true),
                        if got < want { "còn thiếu" } else { "thừa" },
                        budget_text((want - got).abs(), true)
                    ),
                    format!(
                        "step budgets add up to {}; the statutory limit is {} ({} {})",
                        budget_text(got, false),
                        budget_text(want, false),
                        if got < want { "short by" } else { "over by" },
                        budget_text((want - got).abs(), false)
                    ),
                );
            }
        }
        Ok(())
    }
}

/// The current step of a dossier, as far as permissions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentStep {
    /// Position in the workflow (0-based). A process step always has a next one (validation puts the approval
    /// and the return last).
    pub index: usize,
    pub role: Role,
    pub kind: StepKind,
    /// The agency that performs the step.
    pub agency: AgencyId,
    /// The officer it is assigned to; `None`: in the unit's pool.
    pub assignee: Option<UserId>,
}

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Who {
    pub user: UserId,
    pub role: Role,
    pub agency: Option<AgencyId>,
}

/// The dossier, as far as permissions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub status: Status,
    pub receiving_agency: AgencyId,
    pub competent_agency: AgencyId,
    pub step: Option<CurrentStep>,
    /// The parent of an interlinked bundle: it follows its children and takes no action itself.
    pub bundle: bool,
    /// A fee request is open: the payment is confirmed by settling it (online or at the counter), never by the bare
    /// action.
    pub fee_open: bool,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The status or step does not allow it (HTTP 409).
    #[error(transparent)]
    State(#[from] TransitionError),
    /// Not this person's to do (HTTP 403).
    #[error("not permitted for this role, unit or assignment")]
    Actor,
}

/// Whether a role may do the work of a step's role: a center director stands in for the one-stop officer, a leader
/// for a specialist.
pub fn covers(actor: Role, step: Role) -> bool {
    actor == step
        || matches!(
            (actor, step),
            (Role::CenterDirector, Role::ReceivingOfficer) | (Role::Leader, Role::Specialist)
        )
}

fn holds(who: Who, step: &CurrentStep) -> bool {
    covers(who.role, step.role)
        && who.agency == Some(step.agency)
        && step.assignee.is_none_or(|a| a == who.user)
}

fn at(who: Who, agency: AgencyId) -> bool {
    who.agency == Some(agency)
}

/// The one decision: the status the action leads to, or why it is refused. The status machine is checked first
/// (409), then the person (403). Allowed actions shown to a user come from this same function.
pub fn decide(d: &Subject, who: Who, action: Action) -> Result<Status, Denied> {
    use Action as A;
    let to = d.status.next(action)?;
    let state = Denied::State(TransitionError {
        from: d.status,
        action,
    });
    if d.bundle {
        return Err(state);
    }
    if !action.allowed_for(who.role) {
        return Err(Denied::Actor);
    }
    let staff_here = |agency| {
        at(who, agency) && matches!(who.role, Role::ReceivingOfficer | Role::CenterDirector)
    };
    let ok = match action {
        A::Accept | A::Refuse | A::ConfirmPayment => staff_here(d.receiving_agency),
        A::Withdraw | A::ReceiveSupplement => {
            who.role == Role::Citizen || staff_here(d.receiving_agency)
        }
        A::Stop => {
            matches!(who.role, Role::Leader | Role::CenterDirector)
                && (at(who, d.competent_agency) || at(who, d.receiving_agency))
        }
        A::Extend => {
            let lead = matches!(who.role, Role::Leader | Role::CenterDirector)
                && (at(who, d.competent_agency) || at(who, d.receiving_agency));
            lead || d.step.is_some_and(|s| holds(who, &s))
        }
        A::Forward
        | A::ReturnStep
        | A::Approve
        | A::ReturnResult
        | A::Claim
        | A::Assign
        | A::RequestSupplement
        | A::RequestPayment => {
            let Some(s) = d.step else { return Err(state) };
            let kind_ok = match action {
                A::Forward => s.kind == StepKind::Process,
                A::ReturnStep => s.index > 0 && s.kind != StepKind::Return,
                A::Approve => s.kind == StepKind::Approve,
                A::ReturnResult => s.kind == StepKind::Return,
                A::RequestSupplement | A::RequestPayment => s.kind != StepKind::Return,
                A::Claim => s.assignee != Some(who.user),
                _ => true,
            };
            if !kind_ok {
                return Err(state);
            }
            match action {
                A::Claim => covers(who.role, s.role) && at(who, s.agency) && s.assignee.is_none(),
                A::Assign => {
                    holds(who, &s)
                        || (at(who, s.agency)
                            && matches!(who.role, Role::Leader | Role::CenterDirector))
                }
                _ => holds(who, &s),
            }
        }
    };
    if !ok {
        return Err(Denied::Actor);
    }
    // Whose it is comes first (403 for a specialist); an open fee then waits for its settlement (409).
    if action == A::ConfirmPayment && d.fee_open {
        return Err(state);
    }
    Ok(to)
}

/// A step's deadline: its own budget from when it starts, but never after the appointment given to the applicant
/// while that appointment is still ahead (the steps share the dossier's legal time). The return step ends at the
/// appointment itself: the applicant comes for the result on the day they were given, and handing it over then is
/// on time. Once the appointment has passed, the dossier is late already and the step keeps its own budget.
pub fn step_due(
    kind: StepKind,
    budgeted: time::OffsetDateTime,
    appointment: Option<time::OffsetDateTime>,
    now: time::OffsetDateTime,
) -> time::OffsetDateTime {
    match appointment {
        Some(a) if a > now && kind == StepKind::Return => a,
        Some(a) if a > now => budgeted.min(a),
        _ => budgeted,
    }
}

/// The actions this person may take now, derived from [`decide`].
pub fn allowed(d: &Subject, who: Who) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| decide(d, who, *a).is_ok())
        .collect()
}

/// The key of a case (trường hợp) name: `""` for the default case, else its folded name; at most 200 characters.
pub fn case_key(name: Option<&str>) -> Result<String, crate::DomainError> {
    match name.map(str::trim) {
        None | Some("") => Ok(String::new()),
        Some(n) if n.chars().count() > 200 => Err(crate::DomainError::invalid(
            "case",
            "tên trường hợp tối đa 200 ký tự",
            "a case name has at most 200 characters",
        )),
        Some(n) => Ok(crate::text::search_key(n)),
    }
}

#[cfg(test)]
mod tests;
