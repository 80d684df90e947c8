//! `unused-suppression`: a `guidelint-disable` comment that suppresses nothing.

use crate::base::diagnostic::Severity;
use crate::rules::{BASE, Rule, RuleMeta};

pub(crate) struct UnusedSuppression;

static META: RuleMeta = RuleMeta {
    name: "unused-suppression",
    summary: "A suppression comment suppresses nothing",
    default_severity: Severity::Warning,
    explanation: "\
## What it does
Reports a `<!-- guidelint-disable … -->` (or `-next-line`, `-file`, or a
`# guidelint-disable-next-line` YAML comment) that suppressed no finding, or names a rule that
does not exist. A suppression of a rule that is turned off is not reported.

## Why
Stale suppressions hide the next real problem at that place.

## Example
```markdown
<!-- guidelint-disable-next-line heading-increment -->
## A heading that does not skip a level
```

## Fix safety
No fix: remove the comment.
",
    ..BASE
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
