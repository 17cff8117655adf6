import { defineErrors } from '@yujing/errors';

/** Error codes of the hazard register, tip-offs (举报) and inspections (docs/hazards.md). */
export const supervisionErrors = defineErrors('operator-api-supervision', {
  YJ_ERR_HAZARD_TRANSITION: {
    statusCode: 409,
    retryable: false,
    message: 'the hazard is not in the state this action needs',
  },
  YJ_ERR_HAZARD_INPUT: {
    statusCode: 422,
    retryable: false,
    message: 'the action lacks what it needs (deadline, responsible person, plan or comment)',
  },
  YJ_ERR_HAZARD_CRITERION: {
    statusCode: 422,
    retryable: false,
    message: 'no such criterion for the enterprise’s industries',
  },
  YJ_ERR_SUPERVISION_CONFLICT: {
    statusCode: 409,
    retryable: true,
    message: 'another change to the same record was stored first; read it again and retry',
  },
  YJ_ERR_INSPECTION_CAP: {
    statusCode: 409,
    retryable: false,
    message: 'the yearly inspection cap of the enterprise is used up',
  },
  YJ_ERR_TIP_OFF_RATE_LIMITED: {
    statusCode: 429,
    retryable: true,
    message: 'too many reports from this address; try again later',
  },
});
