//! The dossier's legal status (the 10 national codes, DOMAIN.md §5.1) and its one total transition function.

use crate::role::Role;
use serde::{Deserialize, Serialize};

/// National dossier status codes 1–10, as synced to the National Public Service Portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 1 Mới đăng ký: submitted online, awaiting intake.
    Submitted = 1,
    /// 2 Được tiếp nhận: accepted at intake; the clock runs.
    Accepted = 2,
    /// 3 Không được tiếp nhận: refused at intake.
    Refused = 3,
    /// 4 Đang xử lý.
    Processing = 4,
    /// 5 Yêu cầu bổ sung giấy tờ: the clock is stopped.
    AwaitingSupplement = 5,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính: the clock is stopped.
    AwaitingPayment = 6,
    /// 7 Công dân yêu cầu rút hồ sơ.
    Withdrawn = 7,
    /// 8 Dừng xử lý.
    Stopped = 8,
    /// 9 Đã xử lý xong: result ready.
    Completed = 9,
    /// 10 Đã trả kết quả.
    Returned = 10,
}

/// What someone does to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Accept an online submission at intake (form 01).
    Accept,
    /// Refuse at intake (form 03).
    Refuse,
    /// Hand the dossier to the next step of its workflow (to another agency: a transfer).
    Forward,
    /// Send the dossier back to the previous step, with a reason.
    ReturnStep,
    /// Give the current step to a named officer.
    Assign,
    /// Take the current step from the unit's pool.
    Claim,
    /// Ask the applicant for more documents (form 02; clock stops).
    RequestSupplement,
    /// The supplement arrived; processing resumes.
    ReceiveSupplement,
    /// Ask for fees or taxes (clock stops).
    RequestPayment,
    /// Payment received; processing resumes.
    ConfirmPayment,
    /// Apologise and set a new date before the due date (form 04).
    Extend,
    /// The applicant withdraws.
    Withdraw,
    /// Stop processing after review (form 05).
    Stop,
    /// Approve and sign: the result is ready.
    Approve,
    /// The result is handed over.
    ReturnResult,
}

impl TryFrom<i16> for Status {
    type Error = crate::error::UnknownStored;
    fn try_from(code: i16) -> Result<Self, Self::Error> {
        Status::from_code(code).ok_or(crate::error::UnknownStored {
            what: "status",
            value: code.to_string(),
        })
    }
}

/// An action that the current status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("action {action:?} is not allowed in status {from:?}")]
pub struct TransitionError {
    /// The status the dossier is in.
    pub from: Status,
    /// The action that was refused.
    pub action: Action,
}

impl Status {
    /// Every status in code order.
    pub const ALL: [Status; 10] = [
        Status::Submitted,
        Status::Accepted,
        Status::Refused,
        Status::Processing,
        Status::AwaitingSupplement,
        Status::AwaitingPayment,
        Status::Withdrawn,
        Status::Stopped,
        Status::Completed,
        Status::Returned,
    ];

    /// The national code (1–10).
    pub const fn code(self) -> i16 {
        self as i16
    }

    /// From the national code.
    pub fn from_code(code: i16) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// From the snake_case name or the number as text ("processing" or "4").
    pub fn parse(s: &str) -> Option<Status> {
        if let Ok(n) = s.parse::<i16>() {
            return Status::from_code(n);
        }
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Refused => "refused",
            Status::Processing => "processing",
            Status::AwaitingSupplement => "awaiting_supplement",
            Status::AwaitingPayment => "awaiting_payment",
            Status::Withdrawn => "withdrawn",
            Status::Stopped => "stopped",
            Status::Completed => "completed",
            Status::Returned => "returned",
        }
    }

    /// Vietnamese name as on the national portal.
    pub const fn vi(self) -> &'static str {
        match self {
            Status::Submitted => "Mới đăng ký",
            Status::Accepted => "Được tiếp nhận",
            Status::Refused => "Không được tiếp nhận",
            Status::Processing => "Đang xử lý",
            Status::AwaitingSupplement => "Yêu cầu bổ sung giấy tờ",
            Status::AwaitingPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Status::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Status::Stopped => "Dừng xử lý",
            Status::Completed => "Đã xử lý xong",
            Status::Returned => "Đã trả kết quả",
        }
    }

    /// English name.
    pub const fn en(self) -> &'static str {
        match self {
            Status::Submitted => "Submitted online, awaiting intake",
            Status::Accepted => "Accepted at intake",
            Status::Refused => "Refused at intake",
            Status::Processing => "Processing",
            Status::AwaitingSupplement => "Supplement requested",
            Status::AwaitingPayment => "Financial obligation requested",
            Status::Withdrawn => "Withdrawn at the applicant's request",
            Status::Stopped => "Processing stopped",
            Status::Completed => "Result ready",
            Status::Returned => "Result returned",
        }
    }

    /// No action leaves a terminal status.
    pub const fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Refused | Status::Withdrawn | Status::Stopped | Status::Returned
        )
    }

    /// The legal clock is stopped while waiting for the applicant.
    pub const fn clock_stopped(self) -> bool {
        matches!(self, Status::AwaitingSupplement | Status::AwaitingPayment)
    }

    /// The one transition function: every rule of the status machine is here.
    pub const fn next(self, action: Action) -> Result<Status, TransitionError> {
        use Action as A;
        use Status as S;
        let to = match (self, action) {
            (S::Submitted, A::Accept) => S::Accepted,
            (S::Submitted, A::Refuse) => S::Refused,
            (S::Accepted | S::Processing, A::Forward) => S::Processing,
            (S::Processing, A::ReturnStep) => S::Processing,
            (S::Accepted | S::Processing, A::Assign | A::Claim) => self,
            (S::Accepted | S::Processing, A::RequestSupplement) => S::AwaitingSupplement,
            (S::AwaitingSupplement, A::ReceiveSupplement) => S::Processing,
            // Fees collected before processing (thu trước) are asked for right at intake.
            (S::Accepted | S::Processing, A::RequestPayment) => S::AwaitingPayment,
            (S::AwaitingPayment, A::ConfirmPayment) => S::Processing,
            (
                S::Accepted | S::Processing | S::AwaitingSupplement | S::AwaitingPayment,
                A::Extend,
            ) => self,
            (S::Accepted | S::Processing, A::Approve) => S::Completed,
            (S::Completed, A::ReturnResult) => S::Returned,
            (
                S::Submitted
                | S::Accepted
                | S::Processing
                | S::AwaitingSupplement
                | S::AwaitingPayment,
                A::Withdraw,
            ) => S::Withdrawn,
            (S::Accepted | S::Processing | S::AwaitingSupplement | S::AwaitingPayment, A::Stop) => {
                S::Stopped
            }
            (from, action) => return Err(TransitionError { from, action }),
        };
        Ok(to)
    }

    /// The actions allowed now, derived from [`Status::next`] so buttons and rules cannot disagree.
    pub fn actions(self) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|a| self.next(*a).is_ok())
            .collect()
    }
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 15] = [
        Action::Accept,
        Action::Refuse,
        Action::Forward,
        Action::ReturnStep,
        Action::Assign,
        Action::Claim,
        Action::RequestSupplement,
        Action::ReceiveSupplement,
        Action::RequestPayment,
        Action::ConfirmPayment,
        Action::Extend,
        Action::Withdraw,
        Action::Stop,
        Action::Approve,
        Action::ReturnResult,
    ];

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Refuse => "refuse",
            Action::Forward => "forward",
            Action::ReturnStep => "return_step",
            Action::Assign => "assign",
            Action::Claim => "claim",
            Action::RequestSupplement => "request_supplement",
            Action::ReceiveSupplement => "receive_supplement",
            Action::RequestPayment => "request_payment",
            Action::ConfirmPayment => "confirm_payment",
            Action::Extend => "extend",
            Action::Withdraw => "withdraw",
            Action::Stop => "stop",
            Action::Approve => "approve",
            Action::ReturnResult => "return_result",
        }
    }

    /// Vietnamese label, as on a button.
    pub const fn vi(self) -> &'static str {
        match self {
            Action::Accept => "Tiếp nhận",
            Action::Refuse => "Từ chối tiếp nhận",
            Action::Forward => "Chuyển bước tiếp theo",
            Action::ReturnStep => "Trả lại bước trước",
            Action::Assign => "Giao xử lý",
            Action::Claim => "Nhận xử lý",
            Action::RequestSupplement => "Yêu cầu bổ sung",
            Action::ReceiveSupplement => "Nhận hồ sơ bổ sung",
            Action::RequestPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Action::ConfirmPayment => "Xác nhận đã nộp nghĩa vụ tài chính",
            Action::Extend => "Xin lỗi và hẹn lại ngày trả",
            Action::Withdraw => "Rút hồ sơ",
            Action::Stop => "Dừng xử lý",
            Action::Approve => "Phê duyệt, ký",
            Action::ReturnResult => "Trả kết quả",
        }
    }

    /// The English label.
    pub const fn en(self) -> &'static str {
        match self {
            Action::Accept => "Accept",
            Action::Refuse => "Refuse at intake",
            Action::Forward => "Forward to the next step",
            Action::ReturnStep => "Return to the previous step",
            Action::Assign => "Assign",
            Action::Claim => "Take on",
            Action::RequestSupplement => "Request supplementary documents",
            Action::ReceiveSupplement => "Receive the supplement",
            Action::RequestPayment => "Request payment of fees",
            Action::ConfirmPayment => "Confirm payment",
            Action::Extend => "Apologise and set a new date",
            Action::Withdraw => "Withdraw",
            Action::Stop => "Stop processing",
            Action::Approve => "Approve and sign",
            Action::ReturnResult => "Return the result",
        }
    }

    /// Whether the action changes nothing but who holds the dossier or its dates.
    pub const fn keeps_status(self) -> bool {
        matches!(self, Action::Assign | Action::Claim | Action::Extend)
    }

    /// The roles that may ever perform the action; the dossier's workflow step and units narrow this further
    /// (`workflow::permits`).
    pub const fn allowed_for(self, role: Role) -> bool {
        use Action as A;
        use Role as R;
        match self {
            A::Withdraw | A::ReceiveSupplement => {
                matches!(role, R::Citizen | R::ReceivingOfficer | R::CenterDirector)
            }
            A::Accept | A::Refuse | A::ReturnResult | A::ConfirmPayment => {
                matches!(role, R::ReceivingOfficer | R::CenterDirector)
            }
            A::Forward
            | A::ReturnStep
            | A::Claim
            | A::Assign
            | A::Extend
            | A::Approve
            | A::RequestSupplement
            | A::RequestPayment => matches!(
                role,
                R::ReceivingOfficer | R::Specialist | R::Leader | R::CenterDirector
            ),
            A::Stop => matches!(role, R::Leader | R::CenterDirector),
        }
    }
}

/// The parent's status from its children: completed (9) when all are completed or returned, returned (10) when
/// all are returned, processing (4) while any is under way, stopped (8) when all ended without all completing.
pub fn bundle_status(children: &[Status]) -> Status {
    use Status as S;
    let done = |s: &S| matches!(s, S::Completed | S::Returned);
    if children.is_empty() {
        return S::Accepted;
    }
    if children.iter().all(|s| *s == S::Returned) {
        S::Returned
    } else if children.iter().all(done) {
        S::Completed
    } else if children.iter().all(|s| s.is_terminal() || done(s)) {
        S::Stopped
    } else if children.iter().all(|s| *s == S::Accepted) {
        S::Accepted
    } else {
        S::Processing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("4"), Some(Status::Processing));
        assert_eq!(Status::parse("11"), None);
    }

    #[test]
    fn terminal_states_stay_terminal() {
        for s in Status::ALL.into_iter().filter(|s| s.is_terminal()) {
            assert!(s.actions().is_empty(), "{s:?} has actions");
        }
    }

    #[test]
    fn every_non_terminal_state_can_end() {
        for s in Status::ALL.into_iter().filter(|s| !s.is_terminal()) {
            assert!(!s.actions().is_empty(), "{s:?} is stuck");
        }
    }

    /// The whole matrix, so that a change of rules is a visible diff.
    #[test]
    fn transition_matrix() {
        let mut lines = Vec::new();
        for s in Status::ALL {
            let acts: Vec<String> = s
                .actions()
                .into_iter()
                .map(|a| {
                    format!(
                        "{}→{}",
                        a.as_str(),
                        s.next(a).map(|t| t.code()).unwrap_or(0)
                    )
                })
                .collect();
            lines.push(format!("{} {}: {}", s.code(), s.as_str(), acts.join(", ")));
        }
        let expected = "\
1 submitted: accept→2, refuse→3, withdraw→7
2 accepted: forward→4, assign→2, claim→2, request_supplement→5, request_payment→6, extend→2, withdraw→7, stop→8, approve→9
3 refused: 
4 processing: forward→4, return_step→4, assign→4, claim→4, request_supplement→5, request_payment→6, extend→4, withdraw→7, stop→8, approve→9
5 awaiting_supplement: receive_supplement→4, extend→5, withdraw→7, stop→8
6 awaiting_payment: confirm_payment→4, extend→6, withdraw→7, stop→8
7 withdrawn: 
8 stopped: 
9 completed: return_result→10
10 returned: ";
        assert_eq!(lines.join("\n"), expected);
    }

    mod properties {
        use super::super::*;
        use crate::role::Role;
        use proptest::prelude::*;

        fn action() -> impl Strategy<Value = Action> {
            (0..Action::ALL.len()).prop_map(|i| Action::ALL[i])
        }
        fn role() -> impl Strategy<Value = Role> {
            (0..Role::ALL.len()).prop_map(|i| Role::ALL[i])
        }

        proptest! {
            /// Random actions by random roles from any status: a refused action leaves the status as it was,
            /// terminal statuses never change, nothing returns to "submitted", and every accepted step is one that
            /// `actions()` offered.
            #[test]
            fn random_sequences_stay_valid(start in 0usize..10, steps in proptest::collection::vec((action(), role()), 0..60)) {
                let mut s = Status::ALL[start];
                for (a, r) in steps {
                    let before = s;
                    let offered = s.actions().contains(&a);
                    match s.next(a) {
                        Ok(to) if a.allowed_for(r) => {
                            prop_assert!(offered);
                            prop_assert!(!before.is_terminal());
                            prop_assert_ne!(to, Status::Submitted);
                            s = to;
                        }
                        Ok(_) => prop_assert!(offered),
                        Err(e) => {
                            prop_assert!(!offered);
                            prop_assert_eq!(e, TransitionError { from: before, action: a });
                        }
                    }
                    if before.is_terminal() {
                        prop_assert_eq!(s, before);
                    }
                }
            }
        }
    }

    #[test]
    fn a_bundle_follows_its_children() {
        use Status as S;
        assert_eq!(bundle_status(&[S::Accepted, S::Accepted]), S::Accepted);
        assert_eq!(bundle_status(&[S::Processing, S::Accepted]), S::Processing);
        assert_eq!(
            bundle_status(&[S::Completed, S::AwaitingSupplement]),
            S::Processing
        );
        assert_eq!(
            bundle_status(&[S::Completed, S::Returned, S::Completed]),
            S::Completed
        );
        assert_eq!(bundle_status(&[S::Returned, S::Returned]), S::Returned);
        assert_eq!(bundle_status(&[S::Returned, S::Stopped]), S::Stopped);
        assert_eq!(bundle_status(&[]), S::Accepted);
    }
}
